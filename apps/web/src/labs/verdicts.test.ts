import type { ForeignRequest } from "@repo/contract";
import { describe, expect, it } from "vitest";
import { attackerSite, cookieValue } from "./attacker";
import { clearChecklist, markRun, readChecklist } from "./checklist";
import type { LabAnswer, LabRequest } from "./http";
import { groupRequests } from "./ResultTable";
import { authorizationVerdict } from "./runs/authorization";
import { forgeryVerdict } from "./runs/csrf";
import { keptVerdict } from "./runs/lostUpdates";
import { replayVerdict } from "./runs/replay";
import { scaleOutVerdict } from "./runs/scaleOut";

// The verdicts are worked out from the answers a lab got: these tests feed answers in and
// read the verdict out, so a verdict can never say what the answers do not.

const request = (status: number, extra: Partial<LabRequest> = {}): LabRequest => ({
  method: "GET",
  path: "/api/jwt/admin/users",
  status,
  trace: [],
  ...extra,
});
const answer = (status: number, extra: Partial<LabRequest> = {}): LabAnswer => ({
  request: request(status, extra),
  ok: status < 400,
  body: null,
});

describe("replayVerdict", () => {
  it("says refused for a 401 and accepted for a 200, with the status", () => {
    const refused = replayVerdict(request(401, { errorCode: "unauthenticated" }), "why.");
    expect(refused).toEqual({ outcome: "refused", verdict: "Refused (401 unauthenticated): why." });
    expect(replayVerdict(request(200), "why.").outcome).toBe("accepted");
    expect(replayVerdict(request(503), "why.").outcome).toBe("mixed");
  });
});

describe("authorizationVerdict", () => {
  it("tells the three behaviours apart from bob's statuses alone", () => {
    const forbidden = { errorCode: "forbidden" };
    const session = authorizationVerdict({
      promoted: answer(200),
      asStaff: answer(200),
      demoted: answer(403, forbidden),
    });
    expect(session.verdict).toMatch(/^Follows the store at once/);
    const jwt = authorizationVerdict({
      promoted: answer(403, forbidden),
      asStaff: answer(200),
      demoted: answer(200),
      afterRefresh: answer(403, forbidden),
    });
    expect(jwt).toMatchObject({ outcome: "accepted" });
    expect(jwt.verdict).toMatch(/^Keeps the old claim/);
    const cutoff = authorizationVerdict({
      promoted: answer(401, { errorCode: "unauthenticated" }),
      asStaff: answer(200),
      demoted: answer(401, { errorCode: "unauthenticated" }),
      afterRefresh: answer(403, forbidden),
    });
    expect(cutoff.verdict).toMatch(/^Follows at once: .*\(401 unauthenticated both times\)/);
  });
});

describe("forgeryVerdict", () => {
  const arrival = (cookies: string[], status: number, code: ForeignRequest["code"]) =>
    ({
      at: new Date().toISOString(),
      method: "POST",
      path: "/api/session/cart/items",
      origin: "http://localhost:5174",
      cookies,
      status,
      code,
      refusedBy: null,
    }) satisfies ForeignRequest;

  it("names the cookies that came along and the check that refused", () => {
    expect(forgeryVerdict(arrival([], 403, "csrf"), "session").verdict).toContain(
      "no cookie attached (SameSite=Lax kept it home), and the Origin check refused it anyway",
    );
    expect(forgeryVerdict(arrival(["sid"], 403, "csrf"), "session").verdict).toContain(
      "cookies attached: sid (same site, so SameSite let it come)",
    );
    expect(forgeryVerdict(arrival([], 401, "unauthenticated"), "jwt").verdict).toContain(
      "no browser adds an Authorization header",
    );
    expect(forgeryVerdict(arrival(["sid"], 200, null), "session").outcome).toBe("accepted");
  });
});

describe("keptVerdict and scaleOutVerdict", () => {
  it("count what was kept, and who answered", () => {
    const why = { all: "all", fewer: "fewer" };
    expect(keptVerdict(50, 50, why)).toEqual({
      outcome: "accepted",
      verdict: "50 of 50 kept: all.",
    });
    expect(keptVerdict(7, 50, why)).toEqual({ outcome: "mixed", verdict: "7 of 50 kept: fewer." });
    const one = [answer(200, { instance: "4001" }), answer(200, { instance: "4001" })];
    expect(scaleOutVerdict("session", one, "memory").verdict).toContain(
      "the cluster is not running",
    );
    const two = [answer(200, { instance: "a-1" }), answer(401, { instance: "a-2" })];
    expect(scaleOutVerdict("session", two, "memory")).toMatchObject({ outcome: "refused" });
  });
});

describe("helpers", () => {
  it("groups runs of the same request, keeping their order", () => {
    const groups = groupRequests([request(200), request(200), request(401), request(200)]);
    expect(groups.map((group) => [group.request.status, group.count])).toEqual([
      [200, 2],
      [401, 1],
      [200, 1],
    ]);
  });

  it("reads one cookie from a Cookie header, as sent", () => {
    expect(cookieValue("a=1; sid=s%3Aab.cd=; b=2", "sid")).toBe("s%3Aab.cd=");
    expect(cookieValue("a=1", "sid")).toBeNull();
  });

  it("finds the attacker site on this page's host (same site) and on the other (another site)", () => {
    const origins = ["http://localhost:6000", "http://127.0.0.1:6000"];
    expect(attackerSite({ protocol: "http:", hostname: "127.0.0.1" }, origins)).toEqual({
      crossSite: "http://localhost:6000",
      sameSite: "http://127.0.0.1:6000",
    });
  });

  it("remembers the labs run in this browser, and ignores garbage", () => {
    localStorage.setItem("session-vs-jwt.labs.done", '{"replay":"x","nope":"y","xss":3}');
    expect(readChecklist()).toEqual({ replay: "x" });
    markRun("csrf", new Date("2026-01-02T03:04:05Z"));
    expect(readChecklist()).toEqual({ replay: "x", csrf: "2026-01-02T03:04:05.000Z" });
    localStorage.setItem("session-vs-jwt.labs.done", "{not json");
    expect(readChecklist()).toEqual({});
    expect(clearChecklist()).toEqual({});
  });
});
