import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { alice, json } from "../api/fakeFetch";
import { loginAnswer, renderPage } from "./renderPage";
import { SignupPage } from "./SignupPage";

const carol = { id: "u9", username: "carol", displayName: "Carol", role: "customer" } as const;

function fillIn(username: string, displayName: string, password: string) {
  fireEvent.change(screen.getByLabelText("Username"), { target: { value: username } });
  fireEvent.change(screen.getByLabelText("Display name"), { target: { value: displayName } });
  fireEvent.change(screen.getByLabelText("Password"), { target: { value: password } });
  fireEvent.click(screen.getByRole("button", { name: "Sign up" }));
}

beforeEach(() => window.history.replaceState(null, "", "/signup?mode=session"));
afterEach(cleanup);

describe("the sign-up page", () => {
  it("shows the password rules before anything is typed", async () => {
    await renderPage("session", SignupPage, () => undefined);
    const rules = screen.getByRole("list");
    expect(screen.getByLabelText("Password").getAttribute("aria-describedby")).toBe(rules.id);
    expect(rules.textContent).toMatch(/8 to 256 characters/);
    expect(rules.textContent).toMatch(/no digit, capital or symbol required/);
    expect(rules.textContent).toMatch(/common password/);
  });

  for (const mode of ["session", "jwt"] as const) {
    it(`${mode} mode: shows the server's reason for a refused password, field by field`, async () => {
      const message = "That password is one of the most common ones: choose another.";
      const { seen } = await renderPage(mode, SignupPage, (path) =>
        path === "/auth/signup"
          ? json(400, {
              error: {
                code: "invalid_request",
                message: "The request is not valid.",
                details: [{ path: "password", message }],
              },
            })
          : undefined,
      );
      fillIn("carol", "Carol", "password1");
      const alert = await screen.findByRole("alert");
      expect(alert.textContent).toContain(message);
      expect(alert.textContent).toContain("password");
      expect(seen.find((r) => r.url.endsWith("/auth/signup"))?.body).toEqual({
        username: "carol",
        displayName: "Carol",
        password: "password1",
      });
    });
  }

  it("shows a taken username as the server words it", async () => {
    await renderPage("session", SignupPage, (path) =>
      path === "/auth/signup"
        ? json(409, {
            error: { code: "username_taken", message: "That username is taken: choose another." },
          })
        : undefined,
    );
    fillIn("alice", "Another Alice", "a long passphrase");
    expect((await screen.findByRole("alert")).textContent).toBe(
      "That username is taken: choose another.",
    );
  });

  it("is logged in as the new user after a sign-up, and goes to the account page", async () => {
    const { store } = await renderPage("jwt", SignupPage, (path) =>
      path === "/auth/signup" ? loginAnswer("jwt", carol, "token-carol") : undefined,
    );
    fillIn("carol", "Carol", "a long passphrase");
    await waitFor(() => expect(store.getState().user).toEqual(carol));
    expect(window.location.pathname).toBe("/account");
    expect(store.getState().auth).toBe("loggedIn");
  });

  it("offers no form to a user who is logged in already", async () => {
    await renderPage("session", SignupPage, () => undefined, alice);
    expect(await screen.findByText(/You are logged in as Alice/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Sign up" })).toBeNull();
  });
});
