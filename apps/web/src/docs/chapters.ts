import type { AuthMode } from "@repo/contract";

/** The chapter that walks each mode's `auth.ts`. */
export const chapterForMode: Record<AuthMode, string> = {
  session: "02-sessions.md",
  jwt: "03-jwt.md",
};
