import {
  type AuthMode,
  csrfHeaderName,
  shortenSecret,
  type TraceEntry,
  type User,
  workflowSteps,
} from "@repo/contract";
import { ApiError, type Identity, type Outgoing, type RequestRecord } from "../api/client";
import * as responses from "../api/responses";
import { Transport } from "../api/transport";

// The labs' own way of sending: every request goes through the app's Transport, so it is timed,
// its `X-Auth-Trace` decoded and its record handed to the inspector, like the shop's requests.
// Unlike the shop's clients, a lab wants every answer, refusals included, as a value: a 401 is
// the result it came to see, not an error to recover from.

/** Hands a lab's request record to the inspector of its mode. */
export type RecordSink = (mode: AuthMode, record: RequestRecord) => void;

/** One request a lab made, as its table shows it. */
export interface LabRequest {
  /** Who sent it, when a lab plays several people (bob, sam), or "script" for an injected one. */
  actor?: string;
  method: string;
  /** The path under the API, or a whole URL for a request to the attacker site. */
  path: string;
  /** 0 when no answer came back at all, or when the answer was opaque to this page. */
  status: number;
  /** An answer came (a no-cors request) but this page may not read it, not even its status. */
  opaque?: boolean;
  errorCode?: string;
  trace: TraceEntry[];
  instance?: string;
  /** What the lab did to the credential before sending, in a few words. */
  note?: string;
}

/** An answer: the request as the table shows it, and the JSON body of a success. */
export interface LabAnswer {
  request: LabRequest;
  ok: boolean;
  body: unknown;
}

export interface SendOptions {
  body?: unknown;
  headers?: Record<string, string>;
  identity?: Identity;
  actor?: string;
  note?: string;
}

// Records of requests to the attacker site, numbered apart from the Transport's own.
let nextOutsideId = 1_000_000_000;

const stepLabels = new Map<string, string>(
  [...workflowSteps.session, ...workflowSteps.jwt].map((step) => [step.id, step.label]),
);

/** What the server did, in one line from its trace: the step that refused, or the last one. */
export function serverDid(trace: readonly TraceEntry[]): string {
  const decisive = trace.find((entry) => entry.outcome === "fail") ?? trace.at(-1);
  if (!decisive) return "no trace";
  const label = stepLabels.get(decisive.step) ?? decisive.step;
  const detail = decisive.detail ? ` (${decisive.detail})` : "";
  const refused = decisive.outcome === "fail" ? "refused at " : "";
  return `${refused}${label}: ${decisive.action}${detail}`;
}

/**
 * One row's requests to one backend: what the row shows, and what the inspector logs. Each row
 * of a lab has its own, so the row lists exactly the requests it made.
 */
export class LabApi {
  constructor(
    readonly mode: AuthMode,
    private readonly sink: RecordSink,
    readonly requests: LabRequest[] = [],
  ) {}

  /** The other backend, for a row that uses both (sam works in JWT mode while bob has a session). */
  other(mode: AuthMode): LabApi {
    return new LabApi(mode, this.sink, this.requests);
  }

  /** Sends one request; any answer, refusals included, comes back as a value. */
  async send(method: Outgoing["method"], path: string, options: SendOptions = {}) {
    let record: RequestRecord | undefined;
    const transport = new Transport(this.mode, {
      onExchange: (exchanged) => {
        record = exchanged;
        this.sink(this.mode, exchanged);
      },
    });
    const outgoing: Outgoing = {
      method,
      path,
      identity: options.identity ?? { kind: "none", text: "sent by a lab" },
      ...(options.body !== undefined ? { body: options.body } : {}),
      ...(options.headers ? { headers: options.headers } : {}),
    };
    let body: unknown;
    let ok = true;
    try {
      body = await transport.send(outgoing);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      ok = false;
    }
    const request: LabRequest = {
      method,
      path: record?.path ?? path,
      status: record?.status ?? 0,
      trace: record?.trace ?? [],
      ...(record?.errorCode ? { errorCode: record.errorCode } : {}),
      ...(record?.instance ? { instance: record.instance } : {}),
      ...(options.actor ? { actor: options.actor } : {}),
      ...(options.note ? { note: options.note } : {}),
    };
    this.requests.push(request);
    return { request, ok, body } satisfies LabAnswer;
  }

  /**
   * Adds a request made outside the API (to the attacker site) to the row's list, and to the
   * inspector's log of this mode, where its path is the whole URL.
   */
  note(request: LabRequest, durationMs: number, identity?: Identity): void {
    this.requests.push(request);
    this.sink(this.mode, {
      id: nextOutsideId++,
      method: request.method,
      path: request.path,
      status: request.status,
      durationMs,
      identity: identity ?? { kind: "none", text: "sent by a lab to the attacker site" },
      trace: [],
      ...(request.errorCode ? { errorCode: request.errorCode } : {}),
    });
  }
}

/** Thrown when a step a lab cannot do without fails (a login refused): the row says why. */
export class LabStepFailed extends Error {
  override name = "LabStepFailed";
}

function expectOk(answer: LabAnswer, what: string): void {
  if (!answer.ok) {
    const code = answer.request.errorCode ? ` ${answer.request.errorCode}` : "";
    throw new LabStepFailed(`${what} failed: ${answer.request.status || "no answer"}${code}.`);
  }
}

const unsafe = new Set(["POST", "PATCH", "DELETE"]);

/** Someone logged in, as a lab holds them: how each request proves who it is. */
export interface Actor {
  readonly name: string;
  readonly user: User;
  readonly api: LabApi;
  /** Sends as this person: the cookie (and CSRF token) or the bearer token. */
  call(method: Outgoing["method"], path: string, options?: SendOptions): Promise<LabAnswer>;
  logout(): Promise<LabAnswer>;
}

/** A session login: the browser keeps the cookie, the lab keeps the CSRF token. */
export class SessionActor implements Actor {
  private constructor(
    readonly name: string,
    readonly api: LabApi,
    readonly user: User,
    public csrfToken: string,
  ) {}

  static async login(api: LabApi, username: string, password: string): Promise<SessionActor> {
    const answer = await api.send("POST", "/auth/login", {
      body: { username, password },
      actor: username,
      identity: { kind: "none", text: "credentials in the body" },
    });
    expectOk(answer, `Logging ${username} in`);
    if (!responses.sessionLogin(answer.body)) throw new LabStepFailed("Odd login answer.");
    return new SessionActor(username, api, answer.body.user, answer.body.csrfToken);
  }

  call(method: Outgoing["method"], path: string, options: SendOptions = {}) {
    const headers = { ...(unsafe.has(method) ? { [csrfHeaderName]: this.csrfToken } : {}) };
    return this.api.send(method, path, {
      actor: this.name,
      identity: { kind: "cookie", text: "sid cookie sent by the browser (HttpOnly)" },
      ...options,
      headers: { ...headers, ...options.headers },
    });
  }

  logout() {
    return this.call("POST", "/auth/logout");
  }
}

/** A JWT login: the lab holds the access token; the browser keeps the refresh cookie. */
export class JwtActor implements Actor {
  private constructor(
    readonly name: string,
    readonly api: LabApi,
    public user: User,
    public token: string,
  ) {}

  static async login(api: LabApi, username: string, password: string): Promise<JwtActor> {
    const answer = await api.send("POST", "/auth/login", {
      body: { username, password },
      actor: username,
      identity: { kind: "none", text: "credentials in the body" },
    });
    expectOk(answer, `Logging ${username} in`);
    if (!responses.jwtLogin(answer.body)) throw new LabStepFailed("Odd login answer.");
    return new JwtActor(username, api, answer.body.user, answer.body.accessToken);
  }

  /** Sends with `token` (this actor's own unless a lab passes a copy or a forgery). */
  call(method: Outgoing["method"], path: string, options: SendOptions & { token?: string } = {}) {
    const { token = this.token, ...rest } = options;
    const label = `Bearer token, signature ${shortenSecret(signature(token), 8)}`;
    return this.api.send(method, path, {
      actor: this.name,
      identity: { kind: "bearer", text: label },
      ...rest,
      headers: { authorization: `Bearer ${token}`, ...rest.headers },
    });
  }

  /** `POST /auth/refresh` with the refresh cookie; keeps the new token when it comes. */
  async refresh(note?: string): Promise<LabAnswer> {
    const answer = await this.api.send("POST", "/auth/refresh", {
      actor: this.name,
      identity: { kind: "refresh-cookie", text: "refresh_token cookie sent by the browser" },
      ...(note ? { note } : {}),
    });
    if (answer.ok && responses.jwtLogin(answer.body)) {
      this.token = answer.body.accessToken;
      this.user = answer.body.user;
    }
    return answer;
  }

  logout() {
    return this.call("POST", "/auth/logout");
  }
}

function signature(token: string): string {
  return token.split(".")[2] ?? token;
}

/** The id of a demo user, from a login answer: labs never guess ids. */
export function idOf(actor: Actor): string {
  return actor.user.id;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
