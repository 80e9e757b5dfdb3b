import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { alice } from "../api/fakeFetch";
import type { ModeState } from "../app/modeStore";
import { AccountLinks } from "./AccountLinks";

const location = { page: "products", mode: "jwt" } as const;
const as = (user: ModeState["user"]) =>
  ({ auth: user ? "loggedIn" : "anonymous", user }) as ModeState;
const links = () => screen.queryAllByRole("link").map((link) => link.textContent);

afterEach(cleanup);

describe("the account links of the top bar", () => {
  it("offers a visitor the sign-up page", () => {
    render(<AccountLinks location={location} state={as(null)} />);
    expect(links()).toEqual(["Sign up"]);
    expect(screen.getByRole("link").getAttribute("href")).toBe("/signup?mode=jwt");
  });

  it("shows a customer the account page and no staff page", () => {
    render(<AccountLinks location={location} state={as(alice)} />);
    expect(links()).toEqual(["Account"]);
  });

  it("follows the role it is given (a JWT page's token claim), not the remembered user's", () => {
    render(<AccountLinks location={location} state={as(alice)} shownRole="staff" />);
    expect(links()).toEqual(["Account", "Staff"]);
  });

  it("shows staff the staff page too", () => {
    render(<AccountLinks location={location} state={as({ ...alice, role: "staff" })} />);
    expect(links()).toEqual(["Account", "Staff"]);
  });
});
