import type { AdminUser, AdminUserChange, AuthMode, CartSummary, User } from "@repo/contract";
import { useCallback, useEffect, useState } from "react";
import type { ApiError, RequestRecord } from "../api/client";
import type { ModeState, ModeStore } from "../app/modeStore";
import { Link } from "../app/router";
import { ErrorMessage } from "../shop/ErrorMessage";
import { formatCents } from "../shop/format";
import { Forbidden } from "./Forbidden";
import "./staff.css";

type Lists = { users: AdminUser[]; carts: CartSummary[] };
type View =
  | { status: "loading" }
  | { status: "ready"; lists: Lists }
  | { status: "error"; error: ApiError };

/** What a change means for the user it was made to, in each mode: the lesson of the page. */
const changeEffect: Record<AuthMode, string> = {
  session:
    "Session mode reads the role and the disabled flag from the store on every request, so this counts at their next request.",
  jwt: "JWT mode trusts the role claim in their access token until it expires: they keep the old role until their next refresh (at once only with JWT_USER_CUTOFF=1); a disabled user's next refresh is refused.",
};

/** The server's own words for its latest role check on the staff routes, from the trace. */
function latestRoleCheck(requests: readonly RequestRecord[]): string | undefined {
  for (const request of requests) {
    if (!request.path.includes("/admin/")) continue;
    const entry = request.trace.find((step) => step.action === "role checked");
    if (entry) return entry.detail;
  }
  return undefined;
}

/** The staff page: every account with its role and disabled switches, and every cart. */
export function StaffPage({ store, state }: { store: ModeStore; state: ModeState }) {
  const [view, setView] = useState<View>({ status: "loading" });
  const loggedIn = state.auth === "loggedIn";
  const userId = state.user?.id;

  const load = useCallback(async () => {
    setView({ status: "loading" });
    const users = await store.attempt((client) => client.admin.users());
    // The server's role check disagreed with the page's idea of the role (changed since the
    // login): a session page asks the server again, so the top bar's links follow.
    const remembered = store.getState().user?.role;
    if (
      users.error?.code === "forbidden"
        ? remembered === "staff"
        : !users.error && remembered !== "staff"
    ) {
      void store.refreshUser();
    }
    if (users.error) return setView({ status: "error", error: users.error });
    const carts = await store.attempt((client) => client.admin.carts());
    if (carts.error) return setView({ status: "error", error: carts.error });
    setView({ status: "ready", lists: { users: users.data, carts: carts.data } });
  }, [store]);

  useEffect(() => {
    // Asked again for each user: what the server answers depends on who asks.
    if (loggedIn && userId) void load();
  }, [loggedIn, userId, load]);

  if (state.auth === "unknown" || state.auth === "restoring") {
    return <p aria-busy="true">Checking who you are…</p>;
  }
  if (!loggedIn || !state.user) {
    return (
      <section aria-labelledby="staff-title">
        <h1 id="staff-title">Staff</h1>
        <p className="empty-state">
          The staff page needs a login first: until the server knows who you are (authentication),
          it cannot ask what you may do (authorization), and answers 401. Log in as <code>sam</code>{" "}
          (staff) on the <Link to={{ page: "login", mode: store.mode }}>login page</Link>.
        </p>
      </section>
    );
  }

  return (
    <section aria-labelledby="staff-title" className="staff" aria-busy={view.status === "loading"}>
      <h1 id="staff-title">Staff</h1>
      {view.status === "loading" && <p className="muted">Asking the server…</p>}
      {view.status === "error" &&
        (view.error.code === "forbidden" ? (
          <Forbidden
            mode={store.mode}
            user={state.user}
            roleCheck={latestRoleCheck(state.requests)}
          />
        ) : (
          <ErrorMessage error={view.error} mode={store.mode} />
        ))}
      {view.status === "ready" && (
        <StaffLists
          store={store}
          me={state.user}
          roleCheck={latestRoleCheck(state.requests)}
          lists={view.lists}
          onUser={(user) =>
            setView({
              status: "ready",
              lists: {
                ...view.lists,
                users: view.lists.users.map((row) => (row.id === user.id ? user : row)),
              },
            })
          }
        />
      )}
    </section>
  );
}

function StaffLists({
  store,
  me,
  roleCheck,
  lists,
  onUser,
}: {
  store: ModeStore;
  me: User;
  /** The server's words for the role check that let this user in, when its trace says. */
  roleCheck: string | undefined;
  lists: Lists;
  onUser: (user: AdminUser) => void;
}) {
  const [busyId, setBusyId] = useState<string | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  async function change(user: AdminUser, change: AdminUserChange) {
    setBusyId(user.id);
    setError(null);
    setSaid(null);
    const result = await store.attempt((client) => client.admin.updateUser(user.id, change));
    setBusyId(null);
    if (result.error) return setError(result.error);
    onUser(result.data);
    const now = result.data.disabled ? "disabled" : result.data.role;
    setSaid(`${result.data.username} is now ${now}. ${changeEffect[store.mode]}`);
  }

  return (
    <>
      <p className="muted">
        You are {me.displayName}
        {roleCheck ? (
          <>
            , and the server let you in (<span className="mono">{roleCheck}</span>)
          </>
        ) : null}
        . Staff cannot change their own account (the server answers 409 <code>own_account</code>):
        another staff member must.
      </p>
      <p className="status-line" role="status">
        {said}
      </p>
      {error && <ErrorMessage error={error} mode={store.mode} />}
      <table className="cart-table staff-table" aria-labelledby="staff-users-title">
        <caption id="staff-users-title">Users</caption>
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Display name</th>
            <th scope="col">Staff</th>
            <th scope="col">Disabled</th>
          </tr>
        </thead>
        <tbody>
          {lists.users.map((user) => {
            const own = user.id === me.id;
            const busy = busyId === user.id;
            return (
              <tr key={user.id} data-username={user.username} data-role={user.role}>
                <th scope="row">
                  <code>{user.username}</code>
                  {own && <span className="tag">you</span>}
                </th>
                <td>{user.displayName}</td>
                <td>
                  <input
                    type="checkbox"
                    role="switch"
                    aria-label={`Staff: ${user.username}`}
                    checked={user.role === "staff"}
                    aria-checked={user.role === "staff"}
                    disabled={own || busy}
                    onChange={() =>
                      void change(user, { role: user.role === "staff" ? "customer" : "staff" })
                    }
                  />
                </td>
                <td>
                  <input
                    type="checkbox"
                    role="switch"
                    aria-label={`Disabled: ${user.username}`}
                    checked={user.disabled}
                    aria-checked={user.disabled}
                    disabled={own || busy}
                    onChange={() => void change(user, { disabled: !user.disabled })}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <table className="cart-table staff-table" aria-labelledby="staff-carts-title">
        <caption id="staff-carts-title">Carts</caption>
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Items</th>
            <th scope="col">Total</th>
          </tr>
        </thead>
        <tbody>
          {lists.carts.map((cart) => (
            <tr key={cart.user.id}>
              <th scope="row">
                <code>{cart.user.username}</code>
              </th>
              <td>{cart.itemCount}</td>
              <td>{formatCents(cart.totalCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
