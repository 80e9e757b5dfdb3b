import { type AuthMode, apiPrefix, instanceHeaderName, traceHeaderName } from "@repo/contract";
import { ApiError, type ClientDeps, type Outgoing, type RequestRecord } from "./client";
import { decodeTrace, errorBody } from "./responses";
import type { Shape } from "./shapes";

/** `record: false` keeps a request out of the inspector's log (the demo state polls). */
export interface SendOptions {
  record?: boolean;
}

const backendNames: Record<AuthMode, string> = { session: "session", jwt: "JWT" };
let nextRecordId = 1;

/** Sends requests under one mode's prefix, times them and reports each one to the inspector. */
export class Transport {
  private readonly fetchFn: typeof fetch;
  private readonly now: () => number;

  constructor(
    readonly mode: AuthMode,
    private readonly deps: ClientDeps,
  ) {
    this.fetchFn = deps.fetch ?? ((...args) => globalThis.fetch(...args));
    this.now = deps.now ?? (() => performance.now());
  }

  /** Sends one request and returns its JSON body; network failures become an ApiError with status 0. */
  async send(request: Outgoing, options: SendOptions = {}): Promise<unknown> {
    const headers: Record<string, string> = { accept: "application/json", ...request.headers };
    if (request.body !== undefined) headers["content-type"] = "application/json";
    const startedAt = this.now();
    const base: Omit<RequestRecord, "status" | "durationMs" | "trace"> = {
      id: nextRecordId++,
      method: request.method,
      path: `${apiPrefix[this.mode]}${request.path}`,
      identity: request.identity,
      ...(request.csrfToken ? { csrfToken: request.csrfToken } : {}),
      ...(request.retry ? { retry: true } : {}),
    };
    const report = (record: RequestRecord) => {
      if (options.record !== false) this.deps.onExchange?.(record);
    };

    let response: Response;
    try {
      response = await this.fetchFn(base.path, {
        method: request.method,
        headers,
        // Same origin through the proxy: the browser attaches this origin's cookies by itself.
        credentials: "same-origin",
        ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      });
    } catch {
      const error = this.backendDown();
      report({
        ...base,
        status: 0,
        durationMs: this.now() - startedAt,
        trace: [],
        errorCode: error.code,
      });
      throw error;
    }
    const body = await readJson(response);
    const trace = decodeTrace(response.headers.get(traceHeaderName));
    // Several instances may answer one address (docs/api.md): the row names the one that did.
    const instance = response.headers.get(instanceHeaderName);
    report({
      ...base,
      status: response.status,
      durationMs: this.now() - startedAt,
      trace,
      ...(instance ? { instance } : {}),
      ...(!response.ok && errorBody(body) ? { errorCode: body.error.code } : {}),
    });
    if (!response.ok) throw this.errorFrom(response, body);
    return body;
  }

  /** Sends and checks the answer has the contract's shape. */
  async json<T>(request: Outgoing, shape: Shape<T>, options: SendOptions = {}): Promise<T> {
    const body = await this.send(request, options);
    if (!shape(body)) {
      throw new ApiError(
        200,
        "unexpected_response",
        `${request.method} ${request.path} answered in an unexpected shape.`,
      );
    }
    return body;
  }

  private backendDown(status = 0): ApiError {
    const what = status ? `HTTP ${status} from the proxy` : "no answer at all";
    return new ApiError(
      status,
      "backend_down",
      `The ${backendNames[this.mode]} backend is not answering (${what}). Is it running?`,
    );
  }

  private errorFrom(response: Response, body: unknown): ApiError {
    if (errorBody(body)) {
      // Retry-After counts seconds from now; keep the moment itself, so a late render stays right.
      const retryAfterSeconds = Number(response.headers.get("retry-after"));
      return new ApiError(
        response.status,
        body.error.code,
        body.error.message,
        Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0
          ? Date.now() + retryAfterSeconds * 1000
          : undefined,
        body.error.details,
      );
    }
    // A stopped backend shows up as the proxy's own 5xx with no JSON error body.
    if (response.status >= 500) return this.backendDown(response.status);
    return new ApiError(
      response.status,
      "unexpected_response",
      `Unexpected HTTP ${response.status}.`,
    );
  }
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return null;
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
