import { createServer } from "node:net";
import { closeRedis, connectRedis } from "@repo/shop";
import { listenOn } from "@repo/shop/testing";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { P, startTestApp } from "./testing";

/** A local port where nothing listens: taken, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listenOn(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("GET /health", () => {
  it("answers 200 while its stores answer", async () => {
    const t = await startTestApp();
    await request(t.app).get(`${P}/health`).expect(200);
    await t.close();
  });

  it("answers 503 store_unavailable with Retry-After while its Redis token store is down", async () => {
    const client = await connectRedis(`redis://127.0.0.1:${await closedPort()}`, () => {});
    const t = await startTestApp({ redis: { client, keyPrefix: "jwt-health-test:" } });
    try {
      const res = await request(t.app).get(`${P}/health`).expect(503);
      expect(res.body.error.code).toBe("store_unavailable");
      expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
    } finally {
      await t.close();
      await closeRedis(client);
    }
  });
});
