import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { alice, errorBody, json } from "../api/fakeFetch";
import { AccountPage } from "./AccountPage";
import { loginAnswer, renderPage } from "./renderPage";

function changePassword(current: string, next: string) {
  fireEvent.change(screen.getByLabelText("Current password"), { target: { value: current } });
  fireEvent.change(screen.getByLabelText("New password"), { target: { value: next } });
  fireEvent.click(screen.getByRole("button", { name: "Change the password" }));
}

beforeEach(() => window.history.replaceState(null, "", "/account?mode=session"));
afterEach(cleanup);

describe("the account page", () => {
  it("shows who is logged in and the role", async () => {
    await renderPage("session", AccountPage, () => undefined, alice);
    expect(screen.getByText("alice")).toBeTruthy();
    expect(screen.getByText("customer")).toBeTruthy();
  });

  it("says the current password is wrong, and the login goes on", async () => {
    const { store, calls } = await renderPage(
      "session",
      AccountPage,
      (path) =>
        path === "/auth/password"
          ? json(401, errorBody("invalid_credentials", "The current password is wrong."))
          : undefined,
      alice,
    );
    changePassword("not it", "a new long passphrase");
    expect((await screen.findByRole("alert")).textContent).toBe("The current password is wrong.");
    expect(store.getState().auth).toBe("loggedIn");
    expect(calls()).toContain("POST /auth/password");
  });

  it("shows the server's reason for a refused new password", async () => {
    const message = "Use at least 8 characters; a few words make a good password.";
    await renderPage(
      "jwt",
      AccountPage,
      (path) =>
        path === "/auth/password"
          ? json(400, {
              error: {
                code: "invalid_request",
                message,
                details: [{ path: "newPassword", message }],
              },
            })
          : undefined,
      alice,
    );
    changePassword("wonderland42", "short");
    expect((await screen.findByRole("alert")).textContent).toBe(message);
  });

  for (const mode of ["session", "jwt"] as const) {
    it(`${mode} mode: goes on with the new credential after a password change`, async () => {
      let changed = false;
      const { store, seen } = await renderPage(
        mode,
        AccountPage,
        (path) => {
          if (path === "/auth/password") {
            changed = true;
            return json(204, null);
          }
          if (changed && (path === "/auth/me" || path === "/auth/refresh"))
            return loginAnswer(mode, alice, "after-change");
          return undefined;
        },
        alice,
      );
      changePassword("wonderland42", "a new long passphrase");
      expect((await screen.findByRole("status")).textContent).toMatch(/^Password changed\./);
      await store.addItem("tea-mug", 1);
      const last = seen.at(-1);
      if (mode === "session") expect(last?.headers["x-csrf-token"]).toBe("after-change");
      else expect(last?.headers.authorization).toBe("Bearer after-change");
      expect((screen.getByLabelText("New password") as HTMLInputElement).value).toBe("");
    });

    it(`${mode} mode: is logged out after logging out everywhere`, async () => {
      const { store, calls } = await renderPage(
        mode,
        AccountPage,
        (path) => (path === "/auth/logout-everywhere" ? json(204, null) : undefined),
        alice,
      );
      fireEvent.click(screen.getByRole("button", { name: "Log out everywhere" }));
      expect((await screen.findByRole("status")).textContent).toBe("Logged out everywhere.");
      expect(store.getState().auth).toBe("anonymous");
      expect(calls()).toContain("POST /auth/logout-everywhere");
    });
  }

  it("asks a visitor to log in or sign up", async () => {
    await renderPage("session", AccountPage, () => undefined);
    await waitFor(() => expect(screen.getByRole("link", { name: "sign up" })).toBeTruthy());
    expect(screen.queryByLabelText("Current password")).toBeNull();
  });
});
