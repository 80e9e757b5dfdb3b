// Everything both backends share: the shop routes, the middleware around them, config helpers.

export { changeOwnPassword, signUp } from "./accounts";
export { jsonBodyParser, maxBodyBytes } from "./body";
export { type ClusterOptions, startCluster } from "./cluster";
export {
  ConfigError,
  defaultDataDir,
  type Env,
  isWeakSecret,
  minSecretBytes,
  readChoice,
  readFlag,
  readPort,
  readPositiveInt,
  readSecret,
  readServerConfig,
  requireRedisUrl,
  requireShopStore,
  type ServerConfig,
} from "./config";
export { checkCredentials } from "./credentials";
export {
  currentUser,
  describeRole,
  type Principal,
  type RoleSource,
  setCurrentUser,
} from "./current-user";
export { refuseDemoAccountsInProduction } from "./demo-accounts";
export { maxDemoStateRows, usernamesById } from "./demo-state";
export { loadOrCreateDevSecret } from "./dev-secrets";
export { errorHandler, notFoundHandler } from "./error-handler";
export { hashingConcurrency } from "./hashing-queue";
export { type HealthCheck, healthCheckTimeoutMs } from "./health";
export { expectedHostNames, isExpectedHost } from "./host-check";
export { HttpError, storeRetryAfterSeconds, storeUnavailable } from "./http-error";
export {
  type AttemptRefused,
  type AttemptSubject,
  defaultLoginThrottleOptions,
  type LoginAttempt,
  LoginThrottle,
  type LoginThrottleOptions,
} from "./login-throttle";
export { type LoginThrottleHandle, openLoginThrottle } from "./open-login-throttle";
export { foreignOrigin, rejectForeignOrigin, requireCookieDelivery, secureCookie } from "./origin";
export {
  closeRedis,
  connectRedis,
  type RedisConnection,
  redisCommandTimeoutMs,
  withinRedisDeadline,
  withRedis,
} from "./redis";
export { createRedisThrottleStore } from "./redis-throttle";
export { checkOrExit, readConfigOrExit, serve, startupWarnings } from "./serve";
export { createShopApp, type ShopAppOptions } from "./shop-app";
export { cartRoutes, productRoutes } from "./shop-routes";
export { Trace, type TraceDetail, traceMiddleware, traceOf } from "./trace";
export { parseBody, parseParam } from "./validate";
