import { randomUUID } from "node:crypto";
import { describeThrottleStoreContract } from "@repo/store/throttle-contract-tests";
import { describe } from "vitest";
import { closeRedis, connectRedis } from "./redis";
import { createRedisThrottleStore } from "./redis-throttle";
import { redisUrlForTests } from "./testing";

// Without REDIS_URL the suite is reported as skipped under this title; in CI a missing
// REDIS_URL throws in redisUrlForTests, so it can never skip there.
const redisUrl = redisUrlForTests();

describe.skipIf(!redisUrl)("the Redis throttle store (needs REDIS_URL)", () => {
  describeThrottleStoreContract("Redis", async () => {
    const client = await connectRedis(String(redisUrl), () => {});
    const store = createRedisThrottleStore(client, `throttle-test-${randomUUID()}:`);
    return { store, close: () => closeRedis(client) };
  });
});
