// Demo mode's run-time settings for this backend (docs/api.md, "Demo settings"): the labs shorten
// the access token's life or turn the denylist on without restarting the process. app.ts hands
// auth.ts getters over this object, so every request reads the setting in force at that moment.
import type { JwtDemoSettings, JwtDemoSettingsChange } from "@repo/contract";

/**
 * The settings in force: the configured ones until a lab changes them, and again after reset.
 * Outside demo mode no route can change them, so they stay what the environment said.
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

  get userCutoff(): boolean {
    return this.inForce.userCutoff;
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
      userCutoff: change.userCutoff ?? this.inForce.userCutoff,
    };
  }

  /** Back to what the environment configured. */
  reset(): void {
    this.inForce = { ...this.configured };
  }
}
