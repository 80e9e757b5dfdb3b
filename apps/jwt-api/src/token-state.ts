// The little a stateless server still keeps: refresh tokens (hashed) and, optionally, a denylist.

export type RefreshTokenStatus = "active" | "rotated" | "revoked";

/** One refresh token as stored: never the token itself, only its SHA-256. */
export interface RefreshTokenRecord {
  tokenHash: string;
  /** Every token rotated from one login shares a family, so reuse can revoke them all. */
  familyId: string;
  userId: string;
  issuedAtMs: number;
  expiresAtMs: number;
  status: RefreshTokenStatus;
}

/** A refresh token as login saves it: always active, and the first of a new family. */
export type NewRefreshToken = Omit<RefreshTokenRecord, "status"> & {
  /** The login's absolute end: no token of the family outlives it, however often it rotates. */
  familyExpiresAtMs: number;
  /**
   * The account's logins cut-off that the login's password was checked under (read with the
   * hash): a password change or "log out everywhere" since then has moved it, and refresh ends
   * the family.
   */
  loginCutOffMs: number;
};

/** The next token of a rotation; family and user are copied from the one it replaces. */
export type RotatedRefreshToken = Pick<
  RefreshTokenRecord,
  "tokenHash" | "issuedAtMs" | "expiresAtMs"
>;

/**
 * On success, the new token's expiry (the one asked for, or the family's end if that is sooner)
 * and the logins cut-off the family's login was checked under. A family saved before that was
 * kept has its login's time there instead, a moment at or after the cut-off it logged in
 * under, which the rule reads the same way; one saved before even that has 0, older than any.
 */
export type RotationResult =
  | { ok: true; userId: string; familyId: string; expiresAtMs: number; loginCutOffMs: number }
  | { ok: false; reason: "reused"; userId: string; familyId: string }
  | { ok: false; reason: "unknown" | "expired" | "revoked" };

export interface DenylistEntry {
  jti: string;
  expiresAtMs: number;
}

/** Where refresh tokens and the denylist live: the shop's own database (SQLite or PostgreSQL) or Redis. */
export interface TokenStateStore {
  readonly kind: "sqlite" | "redis" | "postgres";
  saveRefreshToken(token: NewRefreshToken, nowMs: number): Promise<void>;
  /**
   * Atomically retires the presented token and stores its successor, cut to end no later than its
   * family. Of two calls with the same token, exactly one gets `ok`; presenting a token already
   * rotated revokes its whole family.
   */
  rotateRefreshToken(
    presentedHash: string,
    next: RotatedRefreshToken,
    nowMs: number,
  ): Promise<RotationResult>;
  findRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /**
   * Revokes the family: no token of it refreshes again, not even one a rotation running at this
   * moment stores (a thief refreshing in a loop must not outlive logout).
   */
  revokeFamily(familyId: string): Promise<void>;
  /** Revokes every family of `userId` as revokeFamily does: a password change, or "log out everywhere". */
  revokeUserFamilies(userId: string): Promise<void>;
  /** Refuses an access token's `jti` until `expiresAtMs`, when the token dies by itself anyway. */
  denyAccessToken(entry: DenylistEntry, nowMs: number): Promise<void>;
  isAccessTokenDenied(jti: string, nowMs: number): Promise<boolean>;
  /** For `GET P/health`: rejects while the store is down. */
  healthCheck(): Promise<unknown>;
  /**
   * What is held right now, for the demo page: `userId`'s unexpired refresh tokens (none without
   * one), at most 100 newest first, and how many belong to everyone else; the denylist (at most 100).
   */
  snapshot(
    nowMs: number,
    userId: string | undefined,
  ): Promise<{
    refreshTokens: RefreshTokenRecord[];
    otherRefreshTokens: number;
    denylist: DenylistEntry[];
  }>;
}
