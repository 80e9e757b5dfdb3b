/** Where the JWT client keeps its access token: the visible setting of the JWT mode. */
export type TokenStorageKind = "memory" | "localStorage";

export const tokenStorageKey = "session-vs-jwt.accessToken";
const storageKindKey = "session-vs-jwt.tokenStorage";

export const tokenStorageTradeOff: Record<TokenStorageKind, string> = {
  localStorage:
    "Survives a reload and stays after the tab closes, but any script that runs on this page (one XSS bug) can read it and send it anywhere.",
  memory:
    "Not readable from storage and gone with the tab (a reload asks /auth/refresh for a new one), but an XSS script can still ask /auth/refresh for a fresh token, or simply act as the user.",
};

/**
 * Holds the token in a variable, optionally mirrored to localStorage; the one place that knows
 * the token and where it lives. The app and the inspector subscribe to it.
 *
 * Neither place protects the token from XSS: a script on this page can read localStorage, and it
 * can also POST /api/jwt/auth/refresh itself (same origin, so the HttpOnly refresh cookie goes
 * along) to get a fresh token. Memory only keeps the token out of storage and drops it with the
 * tab; the real defence is not having XSS (escaped output, a Content Security Policy).
 */
export class TokenStore {
  private token: string | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private kind: TokenStorageKind,
    private readonly storage: Storage | undefined = globalThis.localStorage,
  ) {
    if (kind === "localStorage") this.token = this.storage?.getItem(tokenStorageKey) ?? null;
  }

  /** The store as the user last set it up. */
  static fromSavedSetting(storage: Storage | undefined = globalThis.localStorage): TokenStore {
    // Memory unless the user picked localStorage: it keeps the token out of storage and drops it
    // with the tab. It is not an XSS defence, since a script can still ask /auth/refresh.
    const saved = storage?.getItem(storageKindKey);
    return new TokenStore(saved === "localStorage" ? "localStorage" : "memory", storage);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get = (): string | null => this.token;

  getKind = (): TokenStorageKind => this.kind;

  // #region store-token
  /** Keeps the token the server returned (null forgets it), where the setting says. */
  set(token: string | null): void {
    this.token = token;
    this.mirror();
    this.emit();
  }

  /** localStorage holds a copy only while it is the chosen place; memory keeps none there. */
  private mirror(): void {
    if (this.kind === "localStorage" && this.token)
      this.storage?.setItem(tokenStorageKey, this.token);
    else this.storage?.removeItem(tokenStorageKey);
  }
  // #endregion

  /** Moves the current token to the new place, and remembers the choice; memory wipes the copy. */
  setKind(kind: TokenStorageKind): void {
    this.kind = kind;
    this.storage?.setItem(storageKindKey, kind);
    this.mirror();
    this.emit();
  }

  /** Re-reads localStorage, where another tab may have left a newer token. */
  reload(): void {
    if (this.kind !== "localStorage") return;
    const stored = this.storage?.getItem(tokenStorageKey) ?? null;
    if (stored === this.token) return;
    this.token = stored;
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
