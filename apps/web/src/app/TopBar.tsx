import type { AuthMode } from "@repo/contract";
import { AccountLinks } from "../account/AccountLinks";
import { ModeToggle } from "./ModeToggle";
import { dataOf, type ModeState } from "./modeStore";
import { type AppLocation, Link, type Page } from "./router";
import type { ShownRole } from "./shownRole";

/** What the role the page acts on is, for the tooltip on the user's name. */
const roleSourceText: Record<ShownRole["from"], (role: string) => string> = {
  token: (role) =>
    `Role ${role}: the claim in the access token this page holds. The staff routes trust it until the token expires, and so does this page, whatever the store says meanwhile.`,
  server: (role) =>
    `Role ${role}, as the server last named it (at login or /auth/me), from its store: the server reads it again on every request.`,
};

export function TopBar({
  location,
  state,
  role,
  onMode,
  onLogout,
  docs,
  projector,
  wholeWidth,
}: {
  location: AppLocation;
  state: ModeState;
  /** The role the page acts on: the Staff link follows it. */
  role: ShownRole | null;
  onMode: (mode: AuthMode) => void;
  onLogout: () => void;
  /** The docs toggle: a column on a wide screen, a drawer otherwise. */
  docs: { shown: boolean; drawer: boolean; toggle: () => void } | undefined;
  projector: { on: boolean; toggle: () => void };
  /** A page that shows both modes at once: no mode toggle. */
  wholeWidth: boolean;
}) {
  // A page of both modes (compare) has two carts: the badge would count one of them only.
  const cartCount =
    state.auth === "loggedIn" && !wholeWidth ? dataOf(state.cart)?.itemCount : undefined;
  const link = (page: Page, text: string) => (
    <Link to={{ ...location, page }} aria-current={location.page === page ? "page" : undefined}>
      {text}
    </Link>
  );
  return (
    <header className="topbar">
      <p className="brand">
        Session <span aria-hidden="true">vs</span>
        <span className="visually-hidden">versus</span> JWT<span className="brand-long"> shop</span>
      </p>
      {!wholeWidth && <ModeToggle mode={location.mode} onChange={onMode} />}
      <nav aria-label="Shop" className="nav-shop">
        {link("products", "Products")}
        <Link
          to={{ ...location, page: "cart" }}
          aria-current={location.page === "cart" ? "page" : undefined}
        >
          Cart
          {cartCount !== undefined && (
            <span className="badge" data-testid="cart-count">
              {cartCount}
            </span>
          )}
        </Link>
        {!wholeWidth && <AccountLinks location={location} state={state} shownRole={role?.role} />}
        {wholeWidth ? null : state.auth === "loggedIn" && state.user ? (
          <span className="who">
            <span data-testid="who" title={role ? roleSourceText[role.from](role.role) : undefined}>
              {state.user.displayName}
            </span>
            {/* It matters in JWT mode: the page believes its token, not the store. */}
            {role?.from === "token" && (
              <span className="who-role" data-testid="who-role">
                {role.role} (token)
              </span>
            )}
            <button type="button" className="secondary small" onClick={onLogout}>
              Log out
            </button>
          </span>
        ) : (
          link("login", "Log in")
        )}
      </nav>
      <nav aria-label="Workshop" className="nav-workshop">
        {link("compare", "Compare")}
        {link("labs", "Labs")}
        {docs && (
          <button
            type="button"
            className="secondary small"
            aria-pressed={docs.drawer ? undefined : docs.shown}
            aria-expanded={docs.drawer ? docs.shown : undefined}
            onClick={docs.toggle}
          >
            Docs
          </button>
        )}
        <button
          type="button"
          className="secondary small"
          aria-pressed={projector.on}
          onClick={projector.toggle}
        >
          Projector
        </button>
      </nav>
    </header>
  );
}
