// Where each mode keeps the answer to "what may you do?", as the inspector shows it: beside the
// decoded token's payload (JWT) and in the session table's row (sessions).
import type { Role } from "@repo/contract";

/** The decoded token's `role` claim, and what trusting it means. */
export function RoleClaim({ payload }: { payload: Record<string, unknown> }) {
  const role = payload.role;
  if (typeof role !== "string") return null;
  return (
    <p className="role-claim" data-testid="role-claim">
      Role claim: <code>{role}</code>. The staff routes trust it until <code>exp</code>: a role
      changed meanwhile reaches the token at its next refresh.
    </p>
  );
}

/** The role of a session row's user, which the server reads from the store, not the session. */
export function SessionRowRole({ role }: { role: Role | null | undefined }) {
  if (!role) return null;
  return (
    <span
      className="session-role"
      data-testid="session-role"
      title="Read from the users table on every request; the session keeps only the user id."
    >
      {" "}
      (<code>{role}</code>, from the store)
    </span>
  );
}
