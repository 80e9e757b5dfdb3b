import { randomUUID } from "node:crypto";
import { describeThrottleStoreContract } from "@repo/store/throttle-contract-tests";
import { describe, it } from "vitest";
import { closeRedis, connectRedis } from "./redis";
import { createRedisThrottleStore } from "./redis-throttle";
import { redisUrlForTests } from "./testing";

const redisUrl = redisUrlForTests();

if (redisUrl) {
  describeThrottleStoreContract("Redis", async () => {
    const client = await connectRedis(redisUrl, () => {});
    const store = createRedisThrottleStore(client, `throttle-test-${randomUUID()}:`);
    return { store, close: () => closeRedis(client) };
  });
} else {
  describe("ThrottleStore contract: Redis", () => {
    it.skip("needs REDIS_URL, e.g. redis://127.0.0.1:6379", () => {});
  });
}
