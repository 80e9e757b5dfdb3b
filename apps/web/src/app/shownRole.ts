import { type AuthMode, type Role, roles, type User } from "@repo/contract";
import type { TokenStore } from "../api/tokenStore";
import { decodeJwt } from "../jwt/decode";
import { useTokens } from "./model";

/** The role the page acts on, and where it read it. */
export interface ShownRole {
  role: Role;
  /** `token`: the access token's role claim; `server`: the user the server last named. */
  from: "token" | "server";
}

const isRole = (value: unknown): value is Role => roles.some((role) => role === value);

/**
 * In JWT mode, the role claim of the token the page holds: the staff routes trust it until it
 * expires, whatever the store says meanwhile, and the page believes it too (that is the lesson).
 * In session mode, the user the server last named (a login, `/auth/me`), read from the store.
 */
export function shownRole(
  mode: AuthMode,
  user: User | null,
  token: string | null,
): ShownRole | null {
  if (!user) return null;
  if (mode === "jwt" && token) {
    const decoded = decodeJwt(token);
    const claim = decoded.ok ? decoded.jwt.payload.role : undefined;
    if (isRole(claim)) return { role: claim, from: "token" };
  }
  return { role: user.role, from: "server" };
}

/** `shownRole`, kept current as the JWT client swaps its token. */
export function useShownRole(
  mode: AuthMode,
  user: User | null,
  tokens: TokenStore,
): ShownRole | null {
  const { token } = useTokens(tokens);
  return shownRole(mode, user, token);
}
