import { decodeTrace } from "@repo/contract";
import { unsign } from "cookie-signature";
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { loginAgent, P, startTestApp, type TestApp } from "./testing";

// Counts our own signature checks (session-trace.ts); express-session's stay unaffected.
vi.mock("cookie-signature", async (importOriginal) => {
  const original = await importOriginal<typeof import("cookie-signature")>();
  return { ...original, unsign: vi.fn(original.unsign) };
});

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => {
  await t.close();
});

describe("requireUser", () => {
  it("checks a valid cookie's signature once, in express-session, not again for the trace", async () => {
    const { agent, sessionId } = await loginAgent(t.app);
    vi.mocked(unsign).mockClear();
    const res = await agent.get(`${P}/cart`).expect(200);
    expect(unsign).not.toHaveBeenCalled();
    const trace = decodeTrace(res.headers["x-auth-trace"]);
    expect(trace.slice(0, 3)).toEqual([
      expect.objectContaining({
        step: "send_cookie",
        outcome: "ok",
        detail: `s:${sessionId.slice(0, 6)}…`,
      }),
      expect.objectContaining({ action: "signature checked", outcome: "ok" }),
      expect.objectContaining({ action: "session looked up in the store", outcome: "ok" }),
    ]);
  });

  it("reads the cookie again only when no session was found, to say why", async () => {
    const { sessionId } = await loginAgent(t.app);
    vi.mocked(unsign).mockClear();
    const forged = `sid=${encodeURIComponent(`s:${sessionId}.${"A".repeat(43)}`)}`;
    const res = await request(t.app).get(`${P}/cart`).set("Cookie", forged).expect(401);
    expect(unsign).toHaveBeenCalled();
    expect(decodeTrace(res.headers["x-auth-trace"])).toEqual([
      expect.objectContaining({
        step: "send_cookie",
        outcome: "ok",
        detail: `s:${sessionId.slice(0, 6)}…`,
      }),
      expect.objectContaining({ action: "signature checked", outcome: "fail" }),
    ]);
  });
});
