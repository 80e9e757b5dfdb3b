import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Development only: reads a generated secret from `path`, creating it once if missing, so a
 * restart keeps sessions and tokens valid. Production must never call this (see each backend's
 * `config.ts`): there a secret comes from the environment, or the server does not start.
 */
export function loadOrCreateDevSecret(path: string, create: () => string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 }); // DATA_DIR: this user only
  // Written whole to a private temp file, then linked into place: link() fails if another
  // process got there first, so two backends starting at once agree on one complete secret.
  const temporaryPath = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  writeFileSync(temporaryPath, create(), { flag: "wx", mode: 0o600 }); // 0o600: this user only
  try {
    linkSync(temporaryPath, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    unlinkSync(temporaryPath);
  }
  return readFileSync(path, "utf8");
}
