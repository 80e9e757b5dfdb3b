// The attacker site's settings, read once at start (docs/api.md, "Configuration").

export type Env = Record<string, string | undefined>;

/** Everything the attacker site needs to know. */
export interface AttackerConfig {
  /** Where it listens; always on 127.0.0.1, so no other machine can reach it. */
  port: number;
  host: "127.0.0.1";
  /**
   * The origin of the shop's web app, the lab page: the forged requests go to its API, results
   * are posted back only to it, and only it may read the recorder.
   */
  labOrigin: string;
}

/** Thrown for a setting that cannot work; `index.ts` prints it and exits. */
export class ConfigError extends Error {}

/** Reads and checks the environment; throws a ConfigError that names the variable and the fix. */
export function readConfig(env: Env): AttackerConfig {
  return {
    port: readPort(env, "PORT", 5174),
    host: "127.0.0.1",
    labOrigin: readOrigin(env, "LAB_ORIGIN", "http://127.0.0.1:5173"),
  };
}

function readPort(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(`${name} must be a port number from 1 to 65535, not "${raw}".`);
  }
  return port;
}

/** An `http(s)://host[:port]` origin, exactly as a browser writes it in `Origin`. */
function readOrigin(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.origin !== raw) {
    throw new ConfigError(`${name} must be an origin such as http://127.0.0.1:5173, not "${raw}".`);
  }
  return raw;
}
