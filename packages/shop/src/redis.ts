import {
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  createClient,
  SocketClosedUnexpectedlyError,
  TimeoutError,
} from "redis";
import { storeUnavailable } from "./http-error";

/** How long a Redis command may take before the request gets 503 instead of hanging. */
export const redisCommandTimeoutMs = 1000;

/** The longest pause between two reconnection attempts while Redis is down. */
const maxReconnectDelayMs = 1000;

/** How long a start waits for Redis before going on without it (it keeps trying). */
const startupWaitMs = 2000;

function createFailFastClient(url: string) {
  return createClient({
    url,
    // No offline queue: while the connection is down a command is refused at once, instead of
    // waiting in memory for a Redis that may never come back.
    disableOfflineQueue: true,
    // A command that cannot even be sent fails after this long (see withinRedisDeadline for replies).
    commandOptions: { timeout: redisCommandTimeoutMs },
    socket: {
      connectTimeout: redisCommandTimeoutMs,
      // Never give up: back off to at most a second, so a returning Redis is used within one.
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, maxReconnectDelayMs),
    },
  });
}

export type RedisConnection = ReturnType<typeof createFailFastClient>;

/**
 * A Redis client that fails fast: with Redis down, commands are refused at once (no offline
 * queue), and through `withRedis` (or `withinRedisDeadline`) a reply slower than a second
 * fails, so requests get 503 `store_unavailable` quickly while the client keeps reconnecting
 * in the background and recovers by itself when Redis returns. A Redis that is down at start
 * does not stop the start: it is waited for briefly, then the server runs (answering 503
 * where it needs Redis) until the connection comes up.
 */
export async function connectRedis(
  url: string,
  log: (message: string) => void = console.error,
): Promise<RedisConnection> {
  const client = createFailFastClient(url);
  let lastLoggedMs = 0;
  let down = false;
  // Without an error listener a lost connection would crash the process. Logged at most every
  // 10 s, and never with the URL, which may hold a password.
  client.on("error", (error: Error) => {
    down = true;
    const nowMs = Date.now();
    if (nowMs - lastLoggedMs > 10_000) {
      lastLoggedMs = nowMs;
      log(`redis: ${error.message}; requests that need it get 503 until it is back`);
    }
  });
  client.on("ready", () => {
    if (down) log("redis: connection is back");
    down = false;
  });

  // connect() only settles once Redis answers, which may be never: wait a little, then go on.
  const connected = client.connect().then(
    () => true,
    () => false, // reported through the error listener above
  );
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), startupWaitMs);
  });
  const ready = await Promise.race([connected, waited]);
  clearTimeout(timer);
  if (!ready) log("redis: not reachable at start; retrying in the background");
  return client;
}

/** Closes a client from `connectRedis`, whether or not Redis is reachable right now. */
export async function closeRedis(client: RedisConnection): Promise<void> {
  if (client.isReady) {
    await client.close(); // lets commands in flight finish
  } else if (client.isOpen) {
    client.destroy(); // nothing in flight can finish anyway; stop reconnecting
  }
}

/** Thrown when Redis takes longer than `redisCommandTimeoutMs` to answer. */
class RedisDeadlineError extends Error {
  override name = "RedisDeadlineError";
}

/**
 * Fails `reply` if Redis has not answered within `redisCommandTimeoutMs`. node-redis's own
 * `timeout` only covers a command still waiting to be sent; once it is on the wire, a Redis
 * that stops answering (frozen, or a network that went silent) would hang the request forever.
 * A late reply is still read in order, so the connection stays usable when Redis wakes up.
 */
export function withinRedisDeadline<Result>(reply: Promise<Result>): Promise<Result> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(new RedisDeadlineError(`Redis did not answer within ${redisCommandTimeoutMs} ms`)),
      redisCommandTimeoutMs,
    );
  });
  return Promise.race([reply, deadline]).finally(() => clearTimeout(timer));
}

/** Errors that mean "Redis is not reachable right now", as opposed to a bug in our call. */
const outageErrors = [
  RedisDeadlineError,
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  SocketClosedUnexpectedlyError,
  TimeoutError,
];

/**
 * Runs a Redis call; any failure becomes 503 `store_unavailable`, never a hang or a crash.
 * An outage is already reported by the client's error listener; anything else (a wrong key
 * type, a script bug) is logged here, by name and message only, so it does not pass for one.
 */
export async function withRedis<Result>(
  operation: () => Promise<Result>,
  log: (message: string) => void = console.error,
): Promise<Result> {
  try {
    return await withinRedisDeadline(operation());
  } catch (error) {
    if (!outageErrors.some((outage) => error instanceof outage)) {
      const described = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      log(`redis: unexpected failure, answered 503: ${described}`);
    }
    throw storeUnavailable();
  }
}
