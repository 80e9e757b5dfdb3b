import { encodeTrace, type TraceEntry, traceHeaderName } from "@repo/contract";
import type { RequestHandler, Response } from "express";
import onHeaders from "on-headers";

/** The steps the server took for one request, in order, for the web app's inspector. */
export class Trace {
  readonly entries: TraceEntry[] = [];

  /** Records one step. `detail` must never hold a full id, token, hash or secret. */
  add(
    step: TraceEntry["step"],
    action: string,
    outcome: TraceEntry["outcome"] = "ok",
    detail?: string,
  ): void {
    this.entries.push(
      detail === undefined ? { step, action, outcome } : { step, action, outcome, detail },
    );
  }
}

/** The trace of the request this response answers. Outside demo mode it is kept but never sent. */
export function traceOf(res: Response): Trace {
  const trace: unknown = res.locals.trace;
  if (!(trace instanceof Trace)) {
    throw new Error("traceOf() called before the trace middleware ran");
  }
  return trace;
}

/** Starts a trace per request; in demo mode, sends it as `X-Auth-Trace` with the headers. */
export function traceMiddleware(options: { sendHeader: boolean }): RequestHandler {
  return (_req, res, next) => {
    const trace = new Trace();
    res.locals.trace = trace;
    if (options.sendHeader) {
      // Set at the last moment, so steps taken after a handler ends (session save) still count.
      onHeaders(res, () => {
        if (trace.entries.length > 0) res.setHeader(traceHeaderName, encodeTrace(trace.entries));
      });
    }
    next();
  };
}
