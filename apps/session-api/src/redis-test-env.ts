// Test support: which Redis the tests may use. CI sets REDIS_URL; there, a missing one is an error,
// so Redis tests can never skip silently.
export const redisUrl = process.env.REDIS_URL || undefined;

if (!redisUrl && process.env.CI) {
  throw new Error("REDIS_URL must be set in CI: the Redis session store tests need it.");
}
