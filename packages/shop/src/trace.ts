import { encodeTrace, type TraceEntry, traceHeaderName } from "@repo/contract";
import type { RequestHandler, Response } from "express";
import onHeaders from "on-headers";

/**
 * A step's detail, or a function that makes it: on the paths every request takes, pass a
 * function, so that outside demo mode (where nothing is kept) no string is built at all.
 */
export type TraceDetail = string | (() => string);

/** The steps the server took for one request, in order, for the web app's inspector. */
export class Trace {
  readonly entries: TraceEntry[] = [];
  /** Entries of `addSetCookie`, whose detail is read from the response as its headers go out. */
  private readonly cookies: { entry: TraceEntry; name: string }[] = [];

  /** Records one step. `detail` must never hold a full id, token, hash or secret. */
  add(
    step: TraceEntry["step"],
    action: string,
    outcome: TraceEntry["outcome"] = "ok",
    detail?: TraceDetail,
  ): void {
    if (detail === undefined) this.entries.push({ step, action, outcome });
    else {
      const text = typeof detail === "function" ? detail() : detail;
      this.entries.push({ step, action, outcome, detail: text });
    }
  }

  /**
   * Records that the response sets (or clears) cookie `name`. Its detail is the Set-Cookie
   * header as really sent, attributes and all, read when the headers go out (express-session
   * writes its cookie only then), with the value hidden: the page cannot read Set-Cookie itself.
   */
  addSetCookie(step: TraceEntry["step"], action: string, name: string): void {
    const entry: TraceEntry = { step, action, outcome: "ok" };
    this.entries.push(entry);
    this.cookies.push({ entry, name });
  }

  /** Fills in `addSetCookie`'s details from the response's Set-Cookie headers. */
  describeCookies(setCookie: string | number | string[] | undefined): void {
    const headers = Array.isArray(setCookie) ? setCookie : setCookie ? [String(setCookie)] : [];
    for (const { entry, name } of this.cookies) {
      const sent = headers.filter((header) => header.startsWith(`${name}=`)).at(-1);
      entry.detail = sent ? withoutCookieValue(sent) : "no Set-Cookie header was sent";
    }
  }
}

/** `name=value; attributes` with the value hidden (a credential), but an empty one shown. */
export function withoutCookieValue(setCookie: string): string {
  const [pair = "", ...attributes] = setCookie.split(";").map((part) => part.trim());
  const equals = pair.indexOf("=");
  const name = pair.slice(0, equals);
  const value = pair.slice(equals + 1);
  return [`${name}=${value === "" ? "" : "…"}`, ...attributes].join("; ");
}

/**
 * The trace outside demo mode, shared by every request: it keeps nothing, since nobody would
 * ever read it, so a request spends no time or memory on it (only the calls remain).
 */
class UntracedRequest extends Trace {
  override add(): void {}
  override addSetCookie(): void {}
}
const untraced: Trace = new UntracedRequest();

/** The trace of the request this response answers; outside demo mode, one that keeps nothing. */
export function traceOf(res: Response): Trace {
  const trace: unknown = res.locals.trace;
  if (!(trace instanceof Trace)) {
    throw new Error("traceOf() called before the trace middleware ran");
  }
  return trace;
}

/** Starts a trace per request and, in demo mode, sends it as `X-Auth-Trace` with the headers. */
export function traceMiddleware(options: { sendHeader: boolean }): RequestHandler {
  // Outside demo mode the trace is never sent, so none is kept (see `untraced`).
  if (!options.sendHeader) {
    return (_req, res, next) => {
      res.locals.trace = untraced;
      next();
    };
  }
  return (_req, res, next) => {
    const trace = new Trace();
    res.locals.trace = trace;
    // Set at the last moment, so steps taken after a handler ends (session save) still count.
    onHeaders(res, () => {
      trace.describeCookies(res.getHeader("set-cookie"));
      if (trace.entries.length > 0) res.setHeader(traceHeaderName, encodeTrace(trace.entries));
    });
    next();
  };
}
