import type { Server } from "node:http";
import type { Express } from "express";
import { ConfigError, type Env, type ServerConfig } from "./config";

/** Reads an app's config once, at start; a ConfigError ends the process with its message. */
export function readConfigOrExit<Config>(
  name: string,
  readConfig: (env: Env) => Config,
  env: Env,
): Config {
  try {
    return readConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${name} cannot start: ${error.message}`);
    process.exit(1);
  }
}

/** Runs a start-up check; a ConfigError ends the process with its message, as a bad setting does. */
export async function checkOrExit(name: string, check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${name} cannot start: ${error.message}`);
    process.exit(1);
  }
}

/**
 * Listens, logs where, and shuts down cleanly on Ctrl-C or SIGTERM: stop accepting, let
 * requests in flight finish, then close the stores. Only `src/index.ts` of an app calls this.
 */
export function serve(
  app: Express,
  options: {
    name: string;
    config: Pick<ServerConfig, "port" | "host" | "isProduction" | "trustProxy">;
    /** The cookie this backend sets, named in the warning below. */
    cookieName: string;
    onClose: () => Promise<void>;
  },
): Promise<Server> {
  const { port, host, isProduction, trustProxy } = options.config;
  if (isProduction && trustProxy === undefined) {
    console.warn(
      `${options.name}: NODE_ENV=production makes the ${options.cookieName} cookie Secure, so ` +
        "browsers only send it over HTTPS: serve through an HTTPS proxy and set TRUST_PROXY.",
    );
  }
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => {
      if (error) {
        reject(error);
        return;
      }
      console.log(`${options.name} listening on http://${host}:${port}`);
      resolve(server);
    });
    // Once, whichever signals arrive: Ctrl-C reaches every process of the terminal's group, so a
    // cluster worker hears SIGINT from the terminal and SIGTERM from its primary. The same
    // signal twice (Ctrl-C again) means "stop now", as it would without these handlers.
    const heard = new Set<string>();
    const shutdown = (signal: string) => {
      if (heard.has(signal)) process.exit(1);
      heard.add(signal);
      if (heard.size > 1) return;
      console.log(`${options.name}: ${signal}, shutting down`);
      server.close(() => {
        options.onClose().then(
          () => process.exit(0),
          (error: unknown) => {
            console.error(`${options.name}: error while closing stores`, error);
            process.exit(1);
          },
        );
      });
      server.closeAllConnections();
    };
    process.on("SIGINT", () => shutdown("SIGINT"));
    process.on("SIGTERM", () => shutdown("SIGTERM"));
  });
}
