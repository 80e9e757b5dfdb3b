import type { Role } from "@repo/contract";
import type { ModeState } from "../app/modeStore";
import { type AppLocation, Link, type Page } from "../app/router";

/**
 * The top bar's links to the account pages: sign-up for a visitor, the account for a user, and
 * the staff page for staff. A customer never sees the staff link, but may still type its address:
 * the server, not this menu, decides, and the page explains its 403. `shownRole` is the role the page
 * acts on (app/shownRole.ts: a JWT page's token claim), the remembered user's when not given.
 */
export function AccountLinks({
  location,
  state,
  shownRole = state.user?.role,
}: {
  location: AppLocation;
  state: ModeState;
  shownRole?: Role | undefined;
}) {
  const link = (page: Page, text: string) => (
    <Link to={{ ...location, page }} aria-current={location.page === page ? "page" : undefined}>
      {text}
    </Link>
  );
  if (state.auth !== "loggedIn" || !state.user) return link("signup", "Sign up");
  return (
    <>
      {link("account", "Account")}
      {shownRole === "staff" && link("staff", "Staff")}
    </>
  );
}
