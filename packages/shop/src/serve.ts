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

/** What an operator must read before this process serves anyone: one line per problem. */
export function startupWarnings(
  name: string,
  config: Pick<ServerConfig, "isProduction" | "demoMode" | "trustProxy">,
  cookieName: string,
): string[] {
  const warnings: string[] = [];
  if (config.isProduction && config.demoMode) {
    // An explicit opt-in (docs/api.md), never a default: say what it costs, where it is seen.
    warnings.push(
      `${name}: WARNING: DEMO_MODE=1 in production. Every client that reaches this server, ` +
        "through a reverse proxy too (binding HOST to loopback does not stop that), gets the " +
        "X-Auth-Trace header on every response (usernames, user ids, roles, shortened session " +
        "ids, token ids and families, which check refused what and why) and GET /demo/state " +
        "(everyone's logins counted, the caller's own listed). Set DEMO_MODE=0 unless this " +
        "server is a workshop's.",
    );
  }
  if (config.isProduction && config.trustProxy === undefined) {
    warnings.push(
      `${name}: NODE_ENV=production makes the ${cookieName} cookie Secure, so browsers only ` +
        "send it over HTTPS: serve through an HTTPS proxy and set TRUST_PROXY.",
    );
  }
  return warnings;
}

/**
 * Listens, logs where, and shuts down cleanly on Ctrl-C or SIGTERM: stop accepting, let
 * requests in flight finish, then close the stores. Only `src/index.ts` of an app calls this.
 */
export function serve(
  app: Express,
  options: {
    name: string;
    config: Pick<ServerConfig, "port" | "host" | "isProduction" | "demoMode" | "trustProxy">;
    /** The cookie this backend sets, named in the warning below. */
    cookieName: string;
    onClose: () => Promise<void>;
  },
): Promise<Server> {
  const { port, host } = options.config;
  for (const warning of startupWarnings(options.name, options.config, options.cookieName)) {
    console.warn(warning);
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
