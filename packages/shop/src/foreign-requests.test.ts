import express from "express";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { errorHandler } from "./error-handler";
import { ForeignRequestLog, maxForeignRequests } from "./foreign-requests";
import { rejectForeignOrigin } from "./origin";
import { traceMiddleware } from "./trace";

/** A bare app: the log, then one route behind the Origin check, then the error handler. */
function start() {
  const log = new ForeignRequestLog();
  const app = express();
  app.use(traceMiddleware({ sendHeader: true }));
  app.use(log.recorder(["https://trusted.example"]));
  app.post(
    "/cart",
    rejectForeignOrigin({ trustedOrigins: [], traceStep: "lookup_session" }),
    (_req, res) => {
      res.status(204).end();
    },
  );
  app.use(errorHandler(() => {}));
  return { app, log };
}

describe("the log of requests from other origins", () => {
  it("records an unsafe one with its cookie names, status, code and the check that refused it", async () => {
    const { app, log } = start();
    await request(app)
      .post("/cart")
      .set("Origin", "http://localhost:5174")
      .set("Cookie", "sid=s%3Asecret-session-id.sig; theme=dark")
      .expect(403);
    const [entry, ...rest] = log.list();
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      method: "POST",
      path: "/cart",
      origin: "http://localhost:5174",
      cookies: ["sid", "theme"],
      status: 403,
      code: "csrf",
      refusedBy: { step: "lookup_session", action: "Origin checked", outcome: "fail" },
    });
    expect(JSON.stringify(entry)).not.toContain("secret-session-id");
  });

  it("records a preflight too, and nothing from our own origin, a trusted one, no origin, or a GET", async () => {
    const { app, log } = start();
    await request(app).options("/cart").set("Origin", "http://127.0.0.1:5174");
    await request(app).post("/cart").expect(204);
    await request(app)
      .post("/cart")
      .set("Host", "127.0.0.1:5173")
      .set("Origin", "http://127.0.0.1:5173")
      .expect(204);
    await request(app).post("/cart").set("Origin", "https://trusted.example");
    await request(app).get("/cart").set("Origin", "http://localhost:5174");
    expect(log.list().map((entry) => [entry.method, entry.origin, entry.cookies])).toEqual([
      ["OPTIONS", "http://127.0.0.1:5174", []],
    ]);
  });

  it(`keeps the newest ${maxForeignRequests}, newest first`, async () => {
    const { app, log } = start();
    for (let i = 0; i < maxForeignRequests + 3; i++) {
      await request(app).post(`/cart?n=${i}`).set("Origin", `http://evil-${i}.example`).expect(403);
    }
    const list = log.list();
    expect(list).toHaveLength(maxForeignRequests);
    expect(list[0]?.origin).toBe(`http://evil-${maxForeignRequests + 2}.example`);
    expect(list[0]?.path).toBe("/cart");
  });
});
