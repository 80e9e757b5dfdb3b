import { decodeTrace, traceHeaderName } from "@repo/contract";
import express from "express";
import onHeaders from "on-headers";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { traceMiddleware, traceOf, withoutCookieValue } from "./trace";

describe("the trace of a cookie the response sets", () => {
  it("reports the Set-Cookie header as sent, attributes and all, with the value hidden", async () => {
    const app = express();
    app.use(traceMiddleware({ sendHeader: true }));
    app.post("/login", (_req, res) => {
      // Like express-session: the cookie is written only as the headers go out.
      onHeaders(res, () => {
        res.cookie("sid", "s:secret-id.signature", { path: "/api/session", httpOnly: true });
      });
      traceOf(res).addSetCookie("issue_cookie", "Set-Cookie sid", "sid");
      res.status(204).end();
    });
    app.post("/logout", (_req, res) => {
      res.clearCookie("refresh_token", { path: "/api/jwt/auth", httpOnly: true });
      traceOf(res).addSetCookie("clear_token", "refresh cookie cleared", "refresh_token");
      traceOf(res).addSetCookie("clear_token", "another cookie", "not_sent");
      res.status(204).end();
    });

    const login = await request(app).post("/login").expect(204);
    const [issued] = decodeTrace(login.headers[traceHeaderName]);
    expect(issued?.detail).toBe("sid=…; Path=/api/session; HttpOnly");
    expect(login.headers[traceHeaderName]).not.toContain("secret-id");

    const logout = await request(app).post("/logout").expect(204);
    const details = decodeTrace(logout.headers[traceHeaderName]).map((entry) => entry.detail);
    expect(details).toEqual([
      "refresh_token=; Path=/api/jwt/auth; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly",
      "no Set-Cookie header was sent",
    ]);
  });

  it("hides a value that itself holds an equals sign", () => {
    expect(withoutCookieValue("t=a=b; Max-Age=60")).toBe("t=…; Max-Age=60");
  });
});

describe("the trace outside demo mode", () => {
  it("keeps nothing and never builds a detail passed as a function", async () => {
    const app = express();
    app.use(traceMiddleware({ sendHeader: false }));
    let built = 0;
    app.get("/cart", (_req, res) => {
      const trace = traceOf(res);
      trace.add("lookup_session", "user loaded", "ok", () => {
        built += 1;
        return "user alice";
      });
      trace.addSetCookie("issue_cookie", "Set-Cookie: sid", "sid");
      res.json({ entries: trace.entries.length });
    });

    const res = await request(app).get("/cart").expect(200);
    expect(res.body).toEqual({ entries: 0 });
    expect(res.headers[traceHeaderName]).toBeUndefined();
    expect(built).toBe(0);
  });

  it("in demo mode, builds a detail passed as a function and sends it", async () => {
    const app = express();
    app.use(traceMiddleware({ sendHeader: true }));
    app.get("/cart", (_req, res) => {
      traceOf(res).add("lookup_session", "user loaded", "ok", () => "user alice");
      res.status(204).end();
    });

    const res = await request(app).get("/cart").expect(204);
    expect(decodeTrace(res.headers[traceHeaderName])).toEqual([
      { step: "lookup_session", action: "user loaded", outcome: "ok", detail: "user alice" },
    ]);
  });
});
