import { encodeTrace, type TraceEntry, traceHeaderName } from "@repo/contract";

/** One call a client made, as the fake server saw it. */
export interface SeenRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  credentials: RequestCredentials | undefined;
  body: unknown;
}

export type FakeRoute = (request: SeenRequest) => Response | Promise<Response>;

/** A fetch that answers from a handler and remembers every request, for client tests. */
export function fakeFetch(route: FakeRoute): { fetch: typeof fetch; seen: SeenRequest[] } {
  const seen: SeenRequest[] = [];
  const fetchFn = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const request: SeenRequest = {
      url: String(input),
      method: init.method ?? "GET",
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      credentials: init.credentials,
      body: typeof init.body === "string" ? JSON.parse(init.body) : undefined,
    };
    seen.push(request);
    return route(request);
  };
  return { fetch: fetchFn as typeof fetch, seen };
}

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

export function withTrace(response: Response, entries: TraceEntry[]): Response {
  response.headers.set(traceHeaderName, encodeTrace(entries));
  return response;
}

export const alice = {
  id: "u1",
  username: "alice",
  displayName: "Alice",
  role: "customer",
} as const;
export const emptyCart = { items: [], itemCount: 0, totalCents: 0 };
export const errorBody = (code: string, message = code) => ({ error: { code, message } });
