import request from "supertest";
import { describe, expect, it } from "vitest";
import { createApp } from "./app";
import { Recorder } from "./recorder";

const labOrigin = "http://127.0.0.1:5173";

describe("GET /api/session/* and /api/jwt/* (the neighbour on the same host)", () => {
  it("records the Cookie header that came along, HttpOnly cookies included, for the lab to read", async () => {
    const recorder = new Recorder();
    const app = createApp({ config: { labOrigin }, recorder });
    await request(app)
      .get("/api/session/")
      .set("Cookie", "sid=s%3Aabc.def; theme=dark")
      .expect(204);
    await request(app).get("/api/jwt/auth/x").set("Cookie", "refresh_token=r1").expect(204);
    const res = await request(app).get("/records").set("Origin", labOrigin).expect(200);
    expect(res.headers["access-control-allow-origin"]).toBe(labOrigin);
    expect(res.body.records).toMatchObject([
      { via: "cookie", data: "refresh_token=r1" },
      { via: "cookie", data: "sid=s%3Aabc.def; theme=dark" },
    ]);
  });

  it("records an empty header when no cookie came, and serves no other path", async () => {
    const recorder = new Recorder();
    const app = createApp({ config: { labOrigin }, recorder });
    await request(app).get("/api/session/cart").expect(204);
    await request(app).get("/api/other/x").set("Cookie", "sid=1").expect(404);
    expect(recorder.list()).toMatchObject([{ via: "cookie", data: "" }]);
  });
});
