import { type AuthMode, maxQuantityPerLine } from "@repo/contract";
import type { ApiError } from "../api/client";

const money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

export function formatCents(cents: number): string {
  return money.format(cents / 100);
}

const startCommands: Record<AuthMode, string> = {
  session: "npm start -w apps/session-api",
  jwt: "npm start -w apps/jwt-api",
};

/** The sentence a user sees for an error; 429 countdowns are added by the caller. */
export function describeError(error: ApiError, mode: AuthMode): string {
  switch (error.code) {
    case "backend_down":
      return `${error.message} Start it with \`${startCommands[mode]}\` (or \`npm start\` at the root).`;
    case "login_ended":
      return error.message;
    case "token_expired":
      return "Your access token expired and could not be refreshed: please log in again.";
    case "unauthenticated":
      return mode === "session"
        ? "The server no longer knows this session (logged out or expired): please log in again."
        : "The server refused the token (revoked or invalid): please log in again.";
    case "invalid_credentials":
      return "Wrong username or password.";
    case "rate_limited":
      // The server counts failures per account (and per address), so the lock follows the
      // account to any browser: "from here" would send the user to try from another one.
      return "Too many failed logins: this account is locked for now.";
    case "csrf":
      return "The server refused the request: the CSRF token was missing or wrong.";
    case "quantity_limit":
      return `A cart line holds at most ${maxQuantityPerLine} of one product.`;
    default:
      return error.message || `Request failed (HTTP ${error.status}).`;
  }
}
