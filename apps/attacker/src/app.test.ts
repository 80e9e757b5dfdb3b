import request from "supertest";
import { describe, expect, it } from "vitest";
import { createApp } from "./app";
import { maxRecordingChars, maxRecordings, Recorder } from "./recorder";

const labOrigin = "http://127.0.0.1:5173";
const start = () => {
  const recorder = new Recorder();
  return { app: createApp({ config: { labOrigin }, recorder }), recorder };
};

describe("the Host header", () => {
  it("must be a loopback name or an address: a rebinding page cannot read the records", async () => {
    const { app } = start();
    // A page at http://evil.example:5174 whose name now points at 127.0.0.1.
    const rebound = { Host: "evil.example:5174", Origin: "http://evil.example:5174" };
    const res = await request(app).get("/records").set(rebound).expect(400);
    expect(res.text).toBe("Refused.");
    await request(app).get("/api/session/cart").set(rebound).expect(400);
    for (const host of ["localhost:5174", "127.0.0.1:5174", "[::1]:5174"]) {
      await request(app).get("/").set("Host", host).expect(200);
    }
  });
});

describe("GET /forge", () => {
  it("serves a page that targets the shop's cart through the lab's origin, with what to do in data attributes", async () => {
    const { app } = start();
    const res = await request(app).get("/forge?mode=session&via=fetch&run=r-1").expect(200);
    expect(res.type).toBe("text/html");
    expect(res.text).toContain('data-target="http://127.0.0.1:5173/api/session/cart/items"');
    expect(res.text).toContain('data-lab-origin="http://127.0.0.1:5173"');
    expect(res.text).toContain('data-via="fetch"');
    expect(res.text).toContain('data-run="r-1"');
    expect(res.text).toContain('<script src="/forge.js"></script>');
    const jwt = await request(app).get("/forge?mode=jwt&via=empty&run=2").expect(200);
    expect(jwt.text).toContain('data-target="http://127.0.0.1:5173/api/jwt/cart/items"');
  });

  it("may be framed by the lab alone, runs only its own script and sends only to the lab", async () => {
    const { app } = start();
    const res = await request(app).get("/forge?mode=session&via=form&run=1").expect(200);
    const csp = String(res.headers["content-security-policy"]);
    expect(csp).toContain(`frame-ancestors ${labOrigin}`);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src ${labOrigin}`);
    expect(csp).toContain(`form-action ${labOrigin}`);
    expect(csp).not.toContain("unsafe-inline");
    expect(res.headers["x-frame-options"]).toBeUndefined();
  });

  it("refuses an unknown mode or way, and a run id that could carry markup, with 400", async () => {
    const { app } = start();
    for (const query of [
      "mode=admin&via=fetch&run=1",
      "mode=session&via=xhr&run=1",
      "mode=session&via=fetch",
      'mode=session&via=fetch&run="><script>alert(1)</script>',
      `mode=session&via=fetch&run=${"a".repeat(41)}`,
    ]) {
      const res = await request(app).get(`/forge?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.text).not.toContain("<script>");
    }
  });

  it("serves its script as JavaScript, reporting to the lab's origin only", async () => {
    const { app } = start();
    const res = await request(app).get("/forge.js").expect(200);
    expect(res.type).toBe("text/javascript");
    expect(res.text).toContain("postMessage(");
    expect(res.text).toContain(", labOrigin)");
    expect(res.text).toContain('credentials: "include"');
  });
});

describe("the recorder", () => {
  it("records what any page posts or puts in an image's URL, newest first, and lets the lab read it", async () => {
    const { app } = start();
    const stolen = await request(app)
      .post("/record")
      .set("Origin", labOrigin)
      .type("text/plain")
      .send("token=eyJhbGciOi...")
      .expect(204);
    expect(stolen.headers["access-control-allow-origin"]).toBe("*");
    await request(app).post("/record").send({ cookie: "theme=dark" }).expect(204);
    await request(app).get("/record?data=ls%3Dtoken").expect(204);
    const res = await request(app).get("/records").set("Origin", labOrigin).expect(200);
    expect(res.headers["access-control-allow-origin"]).toBe(labOrigin);
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(
      res.body.records.map((r: { via: string; data: string; origin: string | null }) => [
        r.via,
        r.data,
        r.origin,
      ]),
    ).toEqual([
      ["get", "ls=token", null],
      ["post", '{"cookie":"theme=dark"}', null],
      ["post", "token=eyJhbGciOi...", labOrigin],
    ]);
  });

  it("answers a JSON send's preflight for anyone, but lets only the lab read or clear", async () => {
    const { app } = start();
    const preflight = await request(app)
      .options("/record")
      .set("Origin", "http://127.0.0.1:5173")
      .set("Access-Control-Request-Method", "POST")
      .set("Access-Control-Request-Headers", "content-type")
      .expect(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe("*");
    expect(preflight.headers["access-control-allow-headers"]).toBe("Content-Type");
    const clear = await request(app)
      .options("/records")
      .set("Origin", "http://localhost:5174")
      .set("Access-Control-Request-Method", "DELETE")
      .expect(204);
    // The browser compares this with the asking page's origin and stops any other page.
    expect(clear.headers["access-control-allow-origin"]).toBe(labOrigin);
  });

  it("keeps at most the newest recordings, each cut to a bound, and refuses a huge body", async () => {
    const { app, recorder } = start();
    await request(app).post("/record").type("text/plain").send("x".repeat(6000)).expect(204);
    expect(recorder.list()[0]?.data).toHaveLength(maxRecordingChars);
    for (let i = 0; i < maxRecordings + 5; i++)
      recorder.add({ via: "get", origin: null, contentType: null, data: String(i) });
    const list = recorder.list();
    expect(list).toHaveLength(maxRecordings);
    expect(list[0]?.data).toBe(String(maxRecordings + 4));
    await request(app).post("/record").type("text/plain").send("x".repeat(9000)).expect(413);
  });

  it("forgets everything on DELETE /records", async () => {
    const { app } = start();
    await request(app).get("/record?data=1").expect(204);
    await request(app).delete("/records").expect(204);
    expect((await request(app).get("/records").expect(200)).body.records).toEqual([]);
  });
});

describe("anything else", () => {
  it("is a plain 404", async () => {
    const { app } = start();
    const res = await request(app).get("/admin").expect(404);
    expect(res.type).toBe("text/plain");
  });
});
