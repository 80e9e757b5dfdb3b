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
  /** Why a service is left out, one line each. */
  missing: string[];
}

export async function findServices(env: NodeJS.ProcessEnv): Promise<Services> {
  const missing: string[] = [];
  const check = async (name: string, url: string | undefined, port: number) => {
    if (!url) {
      missing.push(`${name} is unset`);
      return undefined;
    }
    if (await reachable(url, port)) return url;
    missing.push(`${name} is set but nothing answers there`);
    return undefined;
  };
  return {
    redisUrl: await check("REDIS_URL", env.REDIS_URL, 6379),
    databaseUrl: await check("DATABASE_URL", env.DATABASE_URL, 5432),
    missing,
  };
}
