// The load: autocannon, a maintained HTTP load generator, run from the bench's own process, so
// no server under test spends a cycle making its own load.
import autocannon from "autocannon";
import type { Credentials } from "./clients";

/** What autocannon sends: each connection cycles through `requests` in order. */
export interface LoadTarget {
  origin: string;
  requests: autocannon.Request[];
}

export interface WindowResult {
  perSecond: number;
  p99Ms: number;
  requests: number;
}

/** `GET P/cart`. */
export function cartRead(origin: string, prefix: string, credentials: Credentials): LoadTarget {
  return {
    origin,
    requests: [{ method: "GET", path: `${prefix}/cart`, headers: credentials.read }],
  };
}

/**
 * Add 1, then set the line back to 1, on each connection in turn. Between two sets each
 * connection adds at most once, so with 10 connections the line stays at or under 21, far
 * from the 99 cap whose 409 would end the run.
 */
export function cartWrite(
  origin: string,
  prefix: string,
  credentials: Credentials,
  productId: string,
): LoadTarget {
  const headers = { ...credentials.write, "content-type": "application/json" };
  return {
    origin,
    requests: [
      {
        method: "POST",
        path: `${prefix}/cart/items`,
        headers,
        body: JSON.stringify({ productId, quantity: 1 }),
      },
      {
        method: "PATCH",
        path: `${prefix}/cart/items/${encodeURIComponent(productId)}`,
        headers,
        body: JSON.stringify({ quantity: 1 }),
      },
    ],
  };
}

export interface LoadOptions {
  connections: number;
  durationMs: number;
  /** Requests per second over all connections; unset, every connection sends as fast as it can. */
  overallRate?: number;
}

/** A running load: `stop()` ends it early; `result` settles when it has ended. */
export interface RunningLoad {
  stop(): void;
  result: Promise<WindowResult>;
}

export function startLoad(target: LoadTarget, options: LoadOptions): RunningLoad {
  let instance: autocannon.Instance | undefined;
  const result = new Promise<WindowResult>((resolve, reject) => {
    instance = autocannon(
      {
        url: target.origin,
        requests: target.requests,
        connections: options.connections,
        duration: options.durationMs / 1000,
        // autocannon checks whether time is up once per sample: 1 s by default, far too
        // coarse for half-second windows.
        sampleInt: 50,
        ...(options.overallRate ? { overallRate: options.overallRate } : {}),
      },
      (error, outcome) => {
        if (error) return reject(error);
        // Any answer but a 2xx means the bench measured something other than it says.
        if (outcome.non2xx > 0 || outcome.errors > 0 || outcome.timeouts > 0) {
          return reject(
            new Error(
              `load on ${target.origin} got ${outcome.non2xx} non-2xx answers ` +
                `(${JSON.stringify(outcome.statusCodeStats)}), ${outcome.errors} errors, ` +
                `${outcome.timeouts} timeouts`,
            ),
          );
        }
        resolve({
          perSecond: outcome.requests.total / outcome.duration,
          p99Ms: outcome.latency.p99,
          requests: outcome.requests.total,
        });
      },
    );
  });
  return { stop: () => instance?.stop(), result };
}

/** One window at full speed: requests per second and p99. */
export function runWindow(target: LoadTarget, options: LoadOptions): Promise<WindowResult> {
  return startLoad(target, options).result;
}
