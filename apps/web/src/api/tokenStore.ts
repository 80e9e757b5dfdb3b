/** Where the JWT client keeps its access token: the visible setting of the JWT mode. */
export type TokenStorageKind = "memory" | "localStorage";

export const tokenStorageKey = "session-vs-jwt.accessToken";

export const tokenStorageTradeOff: Record<TokenStorageKind, string> = {
  localStorage:
    "Survives a reload and stays after the tab closes, but any script that runs on this page (one XSS bug) can read it and send it anywhere.",
  memory:
    "Not readable from storage and gone with the tab (a reload asks /auth/refresh for a new one), but an XSS script can still ask /auth/refresh for a fresh token, or simply act as the user.",
};

/**
 * Holds the token in a variable, optionally mirrored to localStorage.
 *
 * Neither place protects the token from XSS: a script on this page can read localStorage, and it
 * can also POST /api/jwt/auth/refresh itself (same origin, so the HttpOnly refresh cookie goes
 * along) to get a fresh token. Memory only keeps the token out of storage and drops it with the
 * tab; the real defence is not having XSS (escaped output, a Content Security Policy).
 */
export class TokenStore {
  private token: string | null = null;

  constructor(
    private kind: TokenStorageKind,
    private readonly storage: Storage | undefined = globalThis.localStorage,
  ) {
    if (kind === "localStorage") this.token = this.storage?.getItem(tokenStorageKey) ?? null;
  }

  get storageKind(): TokenStorageKind {
    return this.kind;
  }

  get(): string | null {
    return this.token;
  }

  set(token: string | null): void {
    this.token = token;
    this.mirror();
  }

  /** Moves the current token to the new place; memory wipes the localStorage copy. */
  setKind(kind: TokenStorageKind): void {
    this.kind = kind;
    this.mirror();
  }

  private mirror(): void {
    if (this.kind === "localStorage" && this.token)
      this.storage?.setItem(tokenStorageKey, this.token);
    else this.storage?.removeItem(tokenStorageKey);
  }
}
