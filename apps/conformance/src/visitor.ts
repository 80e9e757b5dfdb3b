import {
  type AuthMode,
  apiPrefix,
  csrfHeaderName,
  errorBodySchema,
  instanceHeaderName,
  productsResponseSchema,
} from "@repo/contract";
import { BrowserLikeClient, type Reply } from "./http";

/** A reply, with which instance sent it and how long it took. */
export interface VisitReply extends Reply {
  instance: string;
  elapsedMs: number;
  /** The contract's error code, when the body is an error. */
  code: string | undefined;
}

/**
 * One user's browser in front of several instances. Each request opens a new connection and
 * closes it (`Connection: close`): the cluster deals out connections, not requests, so a kept-
 * alive connection would stick to one instance and hide the lesson.
 */
export class Visitor {
  private readonly client: BrowserLikeClient;
  private readonly prefix: string;
  private csrfToken: string | undefined;
  private accessToken: string | undefined;

  constructor(
    origin: string,
    readonly mode: AuthMode,
  ) {
    this.client = new BrowserLikeClient(origin);
    this.prefix = apiPrefix[mode];
  }

  async send(method: string, path: string, body?: unknown): Promise<VisitReply> {
    const headers: Record<string, string> = { connection: "close" };
    if (this.csrfToken && method !== "GET") headers[csrfHeaderName] = this.csrfToken;
    if (this.accessToken) headers.authorization = `Bearer ${this.accessToken}`;
    const startMs = performance.now();
    const reply = await this.client.send(method, `${this.prefix}${path}`, { body, headers });
    const parsed = errorBodySchema.safeParse(reply.body);
    return {
      ...reply,
      instance: reply.headers.get(instanceHeaderName) ?? "",
      elapsedMs: performance.now() - startMs,
      code: parsed.success ? parsed.data.error.code : undefined,
    };
  }

  /** Logs in and keeps what the mode's page script would keep (CSRF token, access token). */
  async login(credentials: { username: string; password: string }): Promise<VisitReply> {
    const reply = await this.send("POST", "/auth/login", credentials);
    if (reply.status === 200) this.keep(reply.body);
    return reply;
  }

  /** JWT mode: a new access token from the refresh cookie, as the page does when one expires. */
  async refresh(): Promise<VisitReply> {
    this.accessToken = undefined;
    const reply = await this.send("POST", "/auth/refresh");
    if (reply.status === 200) this.keep(reply.body);
    return reply;
  }

  async firstProductId(): Promise<string> {
    const reply = await this.send("GET", "/products");
    const id = productsResponseSchema.parse(reply.body).products[0]?.id;
    if (!id) throw new Error("the shop has no products");
    return id;
  }

  private keep(body: unknown): void {
    const kept = body as { csrfToken?: string; accessToken?: string };
    this.csrfToken = kept.csrfToken;
    this.accessToken = kept.accessToken;
  }
}

/** `count` requests one after another, each on its own connection. */
export async function inTurn(
  count: number,
  request: () => Promise<VisitReply>,
): Promise<VisitReply[]> {
  const replies: VisitReply[] = [];
  for (let i = 0; i < count; i++) replies.push(await request());
  return replies;
}
