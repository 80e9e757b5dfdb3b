import { withinRedisDeadline } from "@repo/shop";
import { RedisStore } from "connect-redis";
import type { SessionData } from "express-session";

type Callback<Value> = (error: unknown, value?: Value) => void;

/**
 * connect-redis with a one-second deadline on every call express-session makes: the Redis
 * client fails fast only while disconnected, and a Redis that stops answering on a live
 * connection would otherwise hang each request.
 */
export class FailFastRedisStore extends RedisStore {
  override get(sid: string, callback?: Callback<SessionData | null>) {
    return settle<SessionData | null>(super.get(sid), callback);
  }

  override set(sid: string, session: SessionData, callback?: Callback<void>) {
    return settle<void>(super.set(sid, session), callback);
  }

  override touch(sid: string, session: SessionData, callback?: Callback<void>) {
    return settle<void>(super.touch(sid, session), callback);
  }

  override destroy(sid: string, callback?: Callback<void>) {
    return settle<void>(super.destroy(sid), callback);
  }

  override all(callback?: Callback<SessionData[]>) {
    return settle<SessionData[]>(super.all(), callback);
  }
}

// Calls back exactly once (connect-redis's own style: with a callback, or by resolving).
async function settle<Value>(
  reply: Promise<Value>,
  callback: Callback<Value> | undefined,
): Promise<Value | undefined> {
  let value: Value;
  try {
    value = await withinRedisDeadline(reply);
  } catch (error) {
    if (!callback) throw error;
    callback(error);
    return undefined;
  }
  callback?.(null, value);
  return value;
}
