import {
  cartSchema,
  encodeTrace,
  errorBodySchema,
  jwtDemoStateSchema,
  jwtLoginResponseSchema,
  productsResponseSchema,
  sessionDemoStateSchema,
  sessionLoginResponseSchema,
  type TraceEntry,
} from "@repo/contract";
import { describe, expect, it } from "vitest";
import { alice, emptyCart, fakeFetch, json } from "./fakeFetch";
import * as responses from "./responses";
import { createSessionClient } from "./sessionClient";
import type { Shape } from "./shapes";

const line = { productId: "tea-mug", name: "Tea mug", priceCents: 1200, quantity: 2 };
const session = {
  id: "abcdef…",
  userId: "u1",
  username: "alice",
  createdAt: "2025-01-01T10:00:00.000Z",
  expiresAt: null,
  absoluteExpiresAt: null,
  data: { csrfToken: "x…" },
};
const refreshToken = {
  id: "abc…",
  family: "def…",
  userId: "u1",
  username: null,
  issuedAt: "2025-01-01T10:00:00.000Z",
  expiresAt: "2025-01-08T10:00:00.000Z",
  status: "active",
};
const jwtState = {
  mode: "jwt",
  store: "sqlite",
  algorithm: "HS256",
  accessTokensKept: 0,
  denylistEnabled: true,
  refreshTokens: [refreshToken],
  otherRefreshTokens: 2,
  denylist: [{ jti: "j…", expiresAt: "2025-01-01T10:15:00.000Z" }],
};

/** Each hand-written shape beside the contract's zod schema, with answers both must judge alike. */
const cases: [
  string,
  Shape<unknown>,
  { safeParse(value: unknown): { success: boolean } },
  unknown[],
][] = [
  [
    "products",
    responses.products,
    productsResponseSchema,
    [
      { products: [{ id: "tea-mug", name: "Tea mug", description: "Tea.", priceCents: 1200 }] },
      { products: [] },
      { products: [{ id: "tea-mug", name: "Tea mug", priceCents: 1200 }] },
      { products: "none" },
      "<html>Bad gateway</html>",
    ],
  ],
  [
    "cart",
    responses.cart,
    cartSchema,
    [
      emptyCart,
      { items: [{ ...line, lineTotalCents: 2400 }], itemCount: 2, totalCents: 2400 },
      { items: [line], itemCount: 2, totalCents: 2400 },
      { items: [], itemCount: "0", totalCents: 0 },
      null,
    ],
  ],
  [
    "session login",
    responses.sessionLogin,
    sessionLoginResponseSchema,
    [
      { user: alice, csrfToken: "t" },
      { user: { ...alice, displayName: undefined }, csrfToken: "t" },
      { user: alice },
    ],
  ],
  [
    "JWT login",
    responses.jwtLogin,
    jwtLoginResponseSchema,
    [
      { user: alice, accessToken: "a.b.c", tokenType: "Bearer", expiresIn: 900 },
      { user: alice, accessToken: "a.b.c", tokenType: "bearer", expiresIn: 900 },
      { user: alice, accessToken: "a.b.c", tokenType: "Bearer" },
    ],
  ],
  [
    "error body",
    responses.errorBody,
    errorBodySchema,
    [
      { error: { code: "csrf", message: "No." } },
      {
        error: { code: "invalid_request", message: "No.", details: [{ path: "a", message: "b" }] },
      },
      { error: { code: "invalid_request", message: "No.", details: [{ path: 1 }] } },
      { error: { code: "teapot", message: "No." } },
      { error: "csrf" },
    ],
  ],
  [
    "session demo state",
    responses.sessionDemoState,
    sessionDemoStateSchema,
    [
      { mode: "session", store: "memory", sessions: [session], otherSessions: 2 },
      {
        mode: "session",
        store: "sqlite",
        sessions: [{ ...session, role: "staff" }],
        otherSessions: 0,
      },
      {
        mode: "session",
        store: "sqlite",
        sessions: [{ ...session, role: "admin" }],
        otherSessions: 0,
      },
      { mode: "session", store: "memory", sessions: [session] },
      { mode: "session", store: "file", sessions: [], otherSessions: 0 },
      { mode: "session", store: "redis", sessions: [{ ...session, data: null }] },
      { mode: "jwt", store: "memory", sessions: [] },
    ],
  ],
  [
    "JWT demo state",
    responses.jwtDemoState,
    jwtDemoStateSchema,
    [
      jwtState,
      { ...jwtState, accessTokensKept: 3 },
      { ...jwtState, refreshTokens: [{ ...refreshToken, status: "stolen" }] },
      { ...jwtState, denylist: undefined },
      { ...jwtState, otherRefreshTokens: "3" },
    ],
  ],
];

describe("response shapes", () => {
  it.each(cases)(
    "judge %s answers as the contract's zod schema does",
    (_name, shape, schema, answers) => {
      const verdicts = answers.map((answer) => [shape(answer), schema.safeParse(answer).success]);
      expect(verdicts.map(([byShape]) => byShape)).toEqual(
        verdicts.map(([, bySchema]) => bySchema),
      );
      // Each table holds at least one answer to accept and one to refuse.
      expect(new Set(verdicts.map(([byShape]) => byShape))).toEqual(new Set([true, false]));
    },
  );
});

describe("decodeTrace", () => {
  it("reads what the server encoded, and a missing or garbled header as no steps", () => {
    const entries: TraceEntry[] = [
      { step: "verify_password", action: "scrypt: match", outcome: "ok", detail: "é" },
    ];
    expect(responses.decodeTrace(encodeTrace(entries))).toEqual(entries);
    expect(responses.decodeTrace(null)).toEqual([]);
    expect(responses.decodeTrace("{not json")).toEqual([]);
    expect(responses.decodeTrace('[{"step":"not_a_step","action":"x","outcome":"ok"}]')).toEqual(
      [],
    );
  });
});

describe("an answer of the wrong shape", () => {
  it("is an ApiError unexpected_response, not data the page would trip over", async () => {
    const { fetch } = fakeFetch(() => json(200, { products: "none" }));
    const client = createSessionClient({ fetch });
    await expect(client.products()).rejects.toMatchObject({
      name: "ApiError",
      code: "unexpected_response",
    });
  });
});
