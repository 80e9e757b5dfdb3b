import { createClient } from "redis";
import { HttpError } from "./http-error";

/** How long a Redis command may take before the request gets 503 instead of hanging. */
export const redisCommandTimeoutMs = 1000;

/**
 * A Redis client that fails fast: with Redis down, commands are refused at once (no offline
 * queue) or time out after a second, so requests get 503 `store_unavailable` quickly while the
 * client keeps reconnecting in the background and recovers by itself when Redis returns.
 */
export async function connectRedis(url: string, log: (message: string) => void = console.error) {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: redisCommandTimeoutMs },
    socket: {
      connectTimeout: redisCommandTimeoutMs,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000),
    },
  });
  let lastLoggedMs = 0;
  // Without an error listener a lost connection would crash the process.
  client.on("error", (error: Error) => {
    const nowMs = Date.now();
    if (nowMs - lastLoggedMs > 10_000) {
      lastLoggedMs = nowMs;
      log(`redis: ${error.message}`);
    }
  });
  await client.connect();
  return client;
}

export type RedisConnection = Awaited<ReturnType<typeof connectRedis>>;

/** Runs a Redis call; any failure becomes 503 `store_unavailable`, never a hang or a crash. */
export async function withRedis<Result>(operation: () => Promise<Result>): Promise<Result> {
  try {
    return await operation();
  } catch {
    throw new HttpError("store_unavailable", "A backing store is unavailable. Try again shortly.");
  }
}
