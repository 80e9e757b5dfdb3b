import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { alice, bob, loginAgent, P, startTestApp, type TestApp } from "./testing";

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => {
  await t.close();
});

const addOne = { productId: "claw-hammer", quantity: 1 };

async function itemCount(agent: request.Agent): Promise<number> {
  return (await agent.get(`${P}/cart`).expect(200)).body.itemCount;
}

describe("CSRF protection on unsafe requests with a session", () => {
  it("refuses a request without the X-CSRF-Token header, changing nothing", async () => {
    const { agent } = await loginAgent(t.app);
    const res = await agent.post(`${P}/cart/items`).send(addOne).expect(403);
    expect(res.body.error.code).toBe("csrf");
    expect(await itemCount(agent)).toBe(0);
  });

  it("refuses a wrong token of the right length", async () => {
    const { agent, csrfToken } = await loginAgent(t.app);
    const wrong = `${csrfToken.slice(0, -1)}${csrfToken.endsWith("A") ? "B" : "A"}`;
    await agent.post(`${P}/cart/items`).set("X-CSRF-Token", wrong).send(addOne).expect(403);
    await agent.post(`${P}/cart/items`).set("X-CSRF-Token", "short").send(addOne).expect(403);
    expect(await itemCount(agent)).toBe(0);
  });

  it("refuses another session's token", async () => {
    const victim = await loginAgent(t.app, alice);
    const attacker = await loginAgent(t.app, bob);
    await victim.agent
      .post(`${P}/cart/items`)
      .set("X-CSRF-Token", attacker.csrfToken)
      .send(addOne)
      .expect(403);
    expect(await itemCount(victim.agent)).toBe(0);
  });

  it("checks every unsafe method: PATCH and DELETE too", async () => {
    const { agent, csrfToken } = await loginAgent(t.app);
    await agent.post(`${P}/cart/items`).set("X-CSRF-Token", csrfToken).send(addOne).expect(200);
    await agent.patch(`${P}/cart/items/claw-hammer`).send({ quantity: 5 }).expect(403);
    await agent.delete(`${P}/cart/items/claw-hammer`).expect(403);
    expect(await itemCount(agent)).toBe(1);
  });

  it("accepts the right token", async () => {
    const { agent, csrfToken } = await loginAgent(t.app);
    await agent.post(`${P}/cart/items`).set("X-CSRF-Token", csrfToken).send(addOne).expect(200);
    expect(await itemCount(agent)).toBe(1);
  });

  it("gives each session its own token", async () => {
    const first = await loginAgent(t.app);
    const second = await loginAgent(t.app);
    expect(first.csrfToken).not.toBe(second.csrfToken);
  });
});

describe("Origin check on unsafe requests", () => {
  it("refuses a foreign Origin even with the right token, changing nothing", async () => {
    const { agent, csrfToken } = await loginAgent(t.app);
    const res = await agent
      .post(`${P}/cart/items`)
      .set("Origin", "https://evil.example")
      .set("X-CSRF-Token", csrfToken)
      .send(addOne)
      .expect(403);
    expect(res.body.error.code).toBe("csrf");
    expect(await itemCount(agent)).toBe(0);
  });

  it("refuses another port of the same host, which SameSite would still call same-site", async () => {
    const { agent, csrfToken } = await loginAgent(t.app);
    await agent
      .post(`${P}/cart/items`)
      .set("Host", "127.0.0.1:4001")
      .set("Origin", "http://127.0.0.1:8080")
      .set("X-CSRF-Token", csrfToken)
      .send(addOne)
      .expect(403);
  });

  it('refuses Origin "null" (sandboxed frames, some redirects)', async () => {
    const { agent, csrfToken } = await loginAgent(t.app);
    await agent
      .post(`${P}/cart/items`)
      .set("Origin", "null")
      .set("X-CSRF-Token", csrfToken)
      .send(addOne)
      .expect(403);
  });

  it("accepts the browser's own origin through the web app's proxy (Host kept)", async () => {
    const { agent, csrfToken } = await loginAgent(t.app);
    await agent
      .post(`${P}/cart/items`)
      .set("Host", "127.0.0.1:5173")
      .set("Origin", "http://127.0.0.1:5173")
      .set("X-CSRF-Token", csrfToken)
      .send(addOne)
      .expect(200);
  });

  it("accepts an origin from CSRF_TRUSTED_ORIGINS when a proxy rewrites Host", async () => {
    const trusted = await startTestApp({ config: { trustedOrigins: ["https://shop.example"] } });
    const { agent, csrfToken } = await loginAgent(trusted.app);
    await agent
      .post(`${P}/cart/items`)
      .set("Host", "127.0.0.1:4001")
      .set("Origin", "https://shop.example")
      .set("X-CSRF-Token", csrfToken)
      .send(addOne)
      .expect(200);
    await trusted.close();
  });

  it("refuses a login posted from another site (login CSRF)", async () => {
    const res = await request(t.app)
      .post(`${P}/auth/login`)
      .set("Origin", "https://evil.example")
      .send(alice)
      .expect(403);
    expect(res.body.error.code).toBe("csrf");
    expect(res.headers["set-cookie"]).toBeUndefined();
  });

  it("refuses a logout posted from another site", async () => {
    const { agent, csrfToken } = await loginAgent(t.app);
    await agent
      .post(`${P}/auth/logout`)
      .set("Origin", "https://evil.example")
      .set("X-CSRF-Token", csrfToken)
      .expect(403);
    await agent.get(`${P}/cart`).expect(200);
  });

  it("lets safe requests from anywhere through (they change nothing)", async () => {
    const { agent } = await loginAgent(t.app);
    await agent.get(`${P}/cart`).set("Origin", "https://evil.example").expect(200);
  });

  it("refuses a cross-site form post before reading it (only JSON is accepted)", async () => {
    const { agent } = await loginAgent(t.app);
    const res = await agent
      .post(`${P}/cart/items`)
      .type("form")
      .send("productId=claw-hammer&quantity=1")
      .expect(415);
    expect(res.body.error.code).toBe("unsupported_media_type");
  });
});
