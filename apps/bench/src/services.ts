// Whether Redis and PostgreSQL are there to bench against: REDIS_URL and DATABASE_URL, reachable.
import { connect } from "node:net";

/** True if a TCP connection to the URL's host and port opens within `timeoutMs`. */
export function reachable(url: string, defaultPort: number, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname || "127.0.0.1", port: Number(port) || defaultPort });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

export interface Services {
  redisUrl: string | undefined;
  databaseUrl: string | undefined;
  /** Why a service is left out, e.g. "REDIS_URL is unset". */
  whyMissing: { redis?: string; postgres?: string };
}

export async function findServices(env: NodeJS.ProcessEnv): Promise<Services> {
  const whyMissing: Services["whyMissing"] = {};
  const check = async (service: "redis" | "postgres", name: string, port: number) => {
    const url = env[name];
    if (!url) whyMissing[service] = `${name} is unset`;
    else if (!(await reachable(url, port))) whyMissing[service] = `nothing answers at ${name}`;
    else return url;
    return undefined;
  };
  return {
    redisUrl: await check("redis", "REDIS_URL", 6379),
    databaseUrl: await check("postgres", "DATABASE_URL", 5432),
    whyMissing,
  };
}
