// Two instances of each backend behind one port (`npm run start:cluster`), as real processes:
// what survives round-robin, a killed instance and a store that goes away, and what does not.
import { cartSchema } from "@repo/contract";
import { closeRedis, connectRedis } from "@repo/shop";
import { alice, bob, redisUrlForTests, startTcpProxy, type TcpProxy } from "@repo/shop/testing";
import { postgresTestSchemas, postgresUrlForTests } from "@repo/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCluster, startClusterProcess } from "./cluster-process";
import { inTurn, Visitor, type VisitReply } from "./visitor";

/** Limits that only catch a hang: starting or replacing an instance takes seconds here. */
const clusterLimitMs = 240_000;
/** docs/api.md: a store that is down gives 503 store_unavailable within 2 s, never a hang. */
const outageAnswerLimitMs = 2000;

const redisUrl = redisUrlForTests();
if (!redisUrl) {
  console.log(
    "skipped: the cluster tests on Redis; set REDIS_URL=redis://127.0.0.1:6379 to run them",
  );
}
const postgresUrl = postgresUrlForTests("the cluster tests on PostgreSQL");

const instancesOf = (replies: VisitReply[]) => new Set(replies.map((reply) => reply.instance));
const statusesOf = (replies: VisitReply[]) => replies.map((reply) => reply.status);

/** Short lifetimes, so what a run leaves in the shared Redis or PostgreSQL soon expires. */
const shortLived = { SESSION_IDLE_TIMEOUT_SECONDS: "600", REFRESH_TOKEN_TTL_SECONDS: "600" };

interface SharedStore {
  name: string;
  /** A service behind a TCP proxy the test can cut, unlike a file on this machine. */
  behindProxy: boolean;
  /** The settings of the recipe, and a proxy in front of the service when there is one. */
  open(): Promise<{ settings: Record<string, string>; proxy?: TcpProxy; close(): Promise<void> }>;
}

/**
 * The instances count failed logins from 127.0.0.1 in Redis under fixed keys, so this file keeps
 * them in a Redis database of its own, which it empties of them afterwards: never a lock on the
 * address every other test on this machine logs in from.
 */
function ownRedisDatabase(url: string): string {
  const own = new URL(url);
  own.pathname = "/9";
  return own.toString();
}

async function forgetLoginAttempts(url: string): Promise<void> {
  const client = await connectRedis(url, () => {});
  try {
    for await (const keys of client.scanIterator({ MATCH: "login-throttle:*", COUNT: 500 })) {
      if (keys.length > 0) await client.del(keys);
    }
  } finally {
    await closeRedis(client);
  }
}

const sharedStores: SharedStore[] = [
  {
    name: "one SQLite file",
    behindProxy: false,
    open: async () => ({ settings: { SESSION_STORE: "sqlite" }, close: async () => {} }),
  },
];
if (redisUrl) {
  sharedStores.push({
    name: "Redis",
    behindProxy: true,
    async open() {
      const proxy = await startTcpProxy(ownRedisDatabase(redisUrl));
      return {
        settings: { SESSION_STORE: "redis", REDIS_URL: proxy.url },
        proxy,
        async close() {
          await proxy.close();
          await forgetLoginAttempts(ownRedisDatabase(redisUrl));
        },
      };
    },
  });
}
if (postgresUrl) {
  sharedStores.push({
    name: "PostgreSQL",
    behindProxy: true,
    async open() {
      const schemas = postgresTestSchemas(postgresUrl, "cluster");
      const proxy = await startTcpProxy(await schemas.create());
      return {
        settings: { SHOP_STORE: "postgres", SESSION_STORE: "postgres", DATABASE_URL: proxy.url },
        proxy,
        async close() {
          await proxy.close();
          await schemas.dropAll();
        },
      };
    },
  });
}

describe.each(sharedStores)("session-api on two instances, sessions in $name", (store) => {
  let cluster: RunningCluster;
  let opened: Awaited<ReturnType<SharedStore["open"]>>;

  beforeAll(async () => {
    opened = await store.open();
    cluster = await startClusterProcess("session-api", { ...shortLived, ...opened.settings });
  }, clusterLimitMs);

  afterAll(async () => {
    await cluster?.stop();
    await opened?.close();
  }, clusterLimitMs);

  it("keeps the user logged in whichever instance answers", async () => {
    const visitor = new Visitor(cluster.origin, "session");
    expect((await visitor.login(alice)).status).toBe(200);
    const replies = await inTurn(10, () => visitor.send("GET", "/auth/me"));
    expect(statusesOf(replies)).toEqual(Array(10).fill(200));
    expect(instancesOf(replies)).toEqual(new Set(["session-api-1", "session-api-2"]));
  });

  it("keeps every one of 50 concurrent adds spread over both instances", async () => {
    const visitor = new Visitor(cluster.origin, "session");
    expect((await visitor.login(bob)).status).toBe(200);
    const productId = await visitor.firstProductId();
    const adds = await Promise.all(
      Array.from({ length: 50 }, () =>
        visitor.send("POST", "/cart/items", { productId, quantity: 1 }),
      ),
    );
    expect(statusesOf(adds)).toEqual(Array(50).fill(200));
    expect(instancesOf(adds)).toEqual(new Set(["session-api-1", "session-api-2"]));
    const cart = cartSchema.parse((await visitor.send("GET", "/cart")).body);
    expect(cart.items.find((line) => line.productId === productId)?.quantity).toBe(50);
  });

  it("counts failed logins across instances, so five spread over both lock the account", async () => {
    // An unknown name is counted like a real one, and locking it locks out no real user.
    const credentials = { username: `nobody-${Date.now()}`, password: "wrong-password-1" };
    const visitor = new Visitor(cluster.origin, "session");
    const failures = await inTurn(5, () => visitor.login(credentials));
    expect(statusesOf(failures)).toEqual(Array(5).fill(401));
    expect(instancesOf(failures)).toEqual(new Set(["session-api-1", "session-api-2"]));
    const sixth = await visitor.login(credentials);
    expect(sixth.code).toBe("rate_limited");
    expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it(
    "loses no session and no cart line when an instance is killed, and replaces it",
    async () => {
      const visitor = new Visitor(cluster.origin, "session");
      expect((await visitor.login(alice)).status).toBe(200);
      const productId = await visitor.firstProductId();
      await visitor.send("PATCH", `/cart/items/${productId}`, { quantity: 3 });
      const quantity = async () => {
        const reply = await visitor.send("GET", "/cart");
        expect(reply.status).toBe(200);
        return cartSchema.parse(reply.body).items.find((line) => line.productId === productId)
          ?.quantity;
      };
      expect(await quantity()).toBe(3);

      const since = cluster.outputLength();
      process.kill(cluster.pidOf("session-api-1"), "SIGKILL");
      await cluster.waitForLine(/instance session-api-1 was killed by SIGKILL/, since);
      // The other instance keeps serving, with the same session and the same cart.
      for (let i = 0; i < 4; i++) expect(await quantity()).toBe(3);
      await cluster.waitForLine(/instance session-api-3 \(pid \d+\) is serving/, since);
      const replies = await inTurn(10, () => visitor.send("GET", "/auth/me"));
      expect(statusesOf(replies)).toEqual(Array(10).fill(200));
      expect(instancesOf(replies)).toEqual(new Set(["session-api-2", "session-api-3"]));
      expect(await quantity()).toBe(3);
    },
    clusterLimitMs,
  );

  // A file on this machine has no connection to cut, unlike a service behind the proxy.
  if (store.behindProxy) {
    it(
      "answers 503 store_unavailable within 2 s while the store is cut off mid-traffic, never a 500 or a crash, and recovers by itself",
      async () => {
        const proxy = opened.proxy as TcpProxy;
        const visitor = new Visitor(cluster.origin, "session");
        expect((await visitor.login(bob)).status).toBe(200);
        const since = cluster.outputLength();
        const traffic = keepAsking(() => visitor.send("GET", "/cart"));
        await traffic.until(
          (replies) => replies.filter((reply) => reply.status === 200).length >= 4,
        );

        await proxy.cut();
        const cutAt = traffic.replies.length;
        await traffic.until((replies) => replies.length >= cutAt + 6);
        const login = await new Visitor(cluster.origin, "session").login(alice);
        expect([login.status, login.code]).toEqual([503, "store_unavailable"]);

        await proxy.restore();
        const restoredAt = traffic.replies.length;
        await traffic.until((replies) => {
          const after = replies.slice(restoredAt).filter((reply) => reply.status === 200);
          return instancesOf(after).size === 2;
        });
        const replies = await traffic.stop();

        // While cut off (bar the one request that may have been on its way already): 503s.
        const outage = replies.slice(cutAt + 1, restoredAt);
        expect(outage.length).toBeGreaterThan(0);
        for (const reply of outage) {
          expect([reply.status, reply.code]).toEqual([503, "store_unavailable"]);
        }
        for (const reply of replies) {
          expect([200, 503]).toContain(reply.status);
          expect(reply.elapsedMs).toBeLessThan(outageAnswerLimitMs);
        }
        // No instance crashed or was replaced: the two that answered before answered after.
        expect(cluster.outputSince(since)).not.toMatch(/was killed|exited with code/);
        expect(instancesOf(replies.slice(restoredAt))).toEqual(
          instancesOf(replies.slice(0, cutAt)),
        );
        const me = await visitor.send("GET", "/auth/me");
        expect([me.status, (me.body as { user: { username: string } }).user.username]).toEqual([
          200,
          "bob",
        ]);
      },
      clusterLimitMs,
    );
  }
});

describe("session-api on two instances, sessions in memory (the broken recipe)", () => {
  let cluster: RunningCluster;

  beforeAll(async () => {
    cluster = await startClusterProcess("session-api", { SESSION_STORE: "memory" });
  }, clusterLimitMs);

  afterAll(() => cluster?.stop(), clusterLimitMs);

  it("logs the user out on every request the other instance answers", async () => {
    const visitor = new Visitor(cluster.origin, "session");
    const login = await visitor.login(alice);
    expect(login.status).toBe(200);
    const replies = await inTurn(10, () => visitor.send("GET", "/auth/me"));
    // The session lives in the memory of the instance that logged the user in, and only there.
    for (const reply of replies) {
      if (reply.instance === login.instance) expect(reply.status).toBe(200);
      else expect([reply.status, reply.code]).toEqual([401, "unauthenticated"]);
    }
    expect(statusesOf(replies)).toContain(401);
    expect(statusesOf(replies)).toContain(200);
  });
});

describe(`jwt-api on two instances, refresh tokens in ${redisUrl ? "Redis" : "one SQLite file"}`, () => {
  let cluster: RunningCluster;
  let proxy: TcpProxy | undefined;

  beforeAll(async () => {
    proxy = redisUrl ? await startTcpProxy(ownRedisDatabase(redisUrl)) : undefined;
    const state: Record<string, string> = proxy
      ? { JWT_STATE_STORE: "redis", REDIS_URL: proxy.url }
      : { JWT_STATE_STORE: "sqlite" };
    cluster = await startClusterProcess("jwt-api", { ...shortLived, ...state });
  }, clusterLimitMs);

  afterAll(async () => {
    await cluster?.stop();
    await proxy?.close();
    if (redisUrl) await forgetLoginAttempts(ownRedisDatabase(redisUrl));
  }, clusterLimitMs);

  it("accepts an access token on both instances: checking it needs only the key", async () => {
    const visitor = new Visitor(cluster.origin, "jwt");
    expect((await visitor.login(alice)).status).toBe(200);
    const replies = await inTurn(10, () => visitor.send("GET", "/auth/me"));
    expect(statusesOf(replies)).toEqual(Array(10).fill(200));
    expect(instancesOf(replies)).toEqual(new Set(["jwt-api-1", "jwt-api-2"]));
  });

  it("rotates a refresh token issued by one instance on the other, since they share its store", async () => {
    const visitor = new Visitor(cluster.origin, "jwt");
    expect((await visitor.login(bob)).status).toBe(200);
    const refreshes = await inTurn(6, () => visitor.refresh());
    expect(statusesOf(refreshes)).toEqual(Array(6).fill(200));
    expect(instancesOf(refreshes)).toEqual(new Set(["jwt-api-1", "jwt-api-2"]));
    expect((await visitor.send("GET", "/auth/me")).status).toBe(200);
  });

  it.runIf(redisUrl)(
    "keeps accepting access tokens while Redis is cut off; refresh answers 503 within 2 s and recovers",
    async () => {
      const cut = proxy as TcpProxy;
      const visitor = new Visitor(cluster.origin, "jwt");
      expect((await visitor.login(alice)).status).toBe(200);
      await cut.cut();
      try {
        const carts = await inTurn(4, () => visitor.send("GET", "/cart"));
        expect(statusesOf(carts)).toEqual(Array(4).fill(200));
        const refresh = await visitor.send("POST", "/auth/refresh");
        expect([refresh.status, refresh.code]).toEqual([503, "store_unavailable"]);
        expect(refresh.elapsedMs).toBeLessThan(outageAnswerLimitMs);
      } finally {
        await cut.restore();
      }
      let refreshed = await visitor.refresh();
      const startMs = performance.now();
      while (refreshed.status === 503 && performance.now() - startMs < 30_000) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        refreshed = await visitor.refresh();
      }
      expect(refreshed.status).toBe(200);
    },
    clusterLimitMs,
  );
});

describe("npm run start:cluster with a setting no instance can start with", () => {
  it(
    "stops with the instance's message instead of restarting it in a loop",
    async () => {
      const started = startClusterProcess("session-api", { SESSION_STORE: "nowhere" });
      await expect(started).rejects.toThrow(
        /SESSION_STORE[\s\S]*before any instance served; stopping/,
      );
    },
    clusterLimitMs,
  );
});

/** Requests one after another until stopped, keeping every reply; a failed request stops it. */
function keepAsking(request: () => Promise<VisitReply>) {
  const replies: VisitReply[] = [];
  let stopping = false;
  let failure: unknown;
  const loop = (async () => {
    try {
      while (!stopping) replies.push(await request());
    } catch (error) {
      failure = error;
    }
  })();
  return {
    replies,
    /** Waits, with a limit that only catches a hang, until the replies so far satisfy `done`. */
    async until(done: (replies: VisitReply[]) => boolean): Promise<void> {
      const startMs = performance.now();
      while (!done(replies)) {
        if (failure) throw failure;
        if (performance.now() - startMs > 60_000) throw new Error("the condition never held");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop(): Promise<VisitReply[]> {
      stopping = true;
      await loop;
      if (failure) throw failure;
      return replies;
    },
  };
}
