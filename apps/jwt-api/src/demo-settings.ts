// Demo mode's run-time settings for this backend (docs/api.md, "Demo settings"): the labs shorten
// the access token's life or turn the denylist on without restarting the process. app.ts hands
// auth.ts getters over this object, so every request reads the setting in force at that moment.
import type { JwtDemoSettings, JwtDemoSettingsChange } from "@repo/contract";

/**
 * The settings in force: the configured ones until a lab changes them, and again after reset.
 * Outside demo mode no route can change them, so they stay what the environment said.
 *
 * JWT_USER_CUTOFF, once the config reads it, joins here as `userCutoff`: add it to
 * `jwtDemoSettingsSchema` in @repo/contract, to the configured values in app.ts, and give
 * createAuth a getter for it like the two below.
 */
export class JwtRuntimeSettings {
  private inForce: JwtDemoSettings;

  constructor(readonly configured: Readonly<JwtDemoSettings>) {
    this.inForce = { ...configured };
  }

  get accessTokenTtlSeconds(): number {
    return this.inForce.accessTokenTtlSeconds;
  }

  get denylist(): boolean {
    return this.inForce.denylist;
  }

  /** A copy of the settings in force. */
  current(): JwtDemoSettings {
    return { ...this.inForce };
  }

  /** Applies an already validated change; the settings it does not name stay as they are. */
  change(change: JwtDemoSettingsChange): void {
    this.inForce = {
      accessTokenTtlSeconds: change.accessTokenTtlSeconds ?? this.inForce.accessTokenTtlSeconds,
      denylist: change.denylist ?? this.inForce.denylist,
    };
  }

  /** Back to what the environment configured. */
  reset(): void {
    this.inForce = { ...this.configured };
  }
}
