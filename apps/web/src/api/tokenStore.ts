/** Where the JWT client keeps its access token: the visible setting of the JWT mode. */
export type TokenStorageKind = "memory" | "localStorage";

export const tokenStorageKey = "session-vs-jwt.accessToken";

export const tokenStorageTradeOff: Record<TokenStorageKind, string> = {
  localStorage:
    "Survives a reload, but any script that runs on this page (one XSS bug) can read it and send it anywhere.",
  memory:
    "Out of reach of other tabs and gone on reload, so a reload silently asks /auth/refresh (HttpOnly cookie) for a new one.",
};

/** Holds the token in a variable, optionally mirrored to localStorage. */
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
