import type { AdminUser } from "@repo/contract";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderPage } from "../account/renderPage";
import { alice, errorBody, json, withTrace } from "../api/fakeFetch";
import { StaffPage } from "./StaffPage";

const sam = { id: "u3", username: "sam", displayName: "Sam", role: "staff" } as const;
const bob = { id: "u2", username: "bob", displayName: "Bob", role: "customer" } as const;
const rows: AdminUser[] = [
  { ...alice, disabled: false },
  { ...bob, disabled: false },
  { ...sam, disabled: false },
];
const carts = {
  carts: [
    { user: alice, itemCount: 2, totalCents: 2400 },
    { user: bob, itemCount: 0, totalCents: 0 },
    { user: sam, itemCount: 0, totalCents: 0 },
  ],
};

/** A staff backend: the lists, and PATCH answering with the changed user. */
function staffRoute(path: string, request: { method: string; body: unknown }) {
  if (path === "/admin/users") return json(200, { users: rows });
  if (path === "/admin/carts") return json(200, carts);
  if (path.startsWith("/admin/users/") && request.method === "PATCH") {
    const id = decodeURIComponent(path.slice("/admin/users/".length));
    const row = rows.find((user) => user.id === id);
    return json(200, { user: { ...row, ...(request.body as object) } });
  }
  return undefined;
}

beforeEach(() => window.history.replaceState(null, "", "/staff?mode=session"));
afterEach(cleanup);

describe("the staff page", () => {
  for (const mode of ["session", "jwt"] as const) {
    it(`${mode} mode: explains a customer's 403 forbidden, with the role check the server traced`, async () => {
      const source = mode === "session" ? "from the store" : "from the token claim";
      const detail = `role customer, ${source}; this route needs staff`;
      await renderPage(
        mode,
        StaffPage,
        (path) =>
          path.startsWith("/admin/")
            ? withTrace(json(403, errorBody("forbidden", "Only staff may do this.")), [
                { step: "lookup_session", action: "role checked", outcome: "fail", detail },
              ])
            : undefined,
        alice,
      );
      const alert = await screen.findByRole("alert");
      expect(within(alert).getByRole("heading").textContent).toBe("403 forbidden: staff only");
      expect(alert.textContent).toContain("Authentication passed.");
      expect(alert.textContent).toContain("Authorization failed.");
      expect(alert.textContent).toContain(mode === "session" ? "from the store" : "role claim");
      expect(alert.textContent).toContain(detail);
      expect(screen.queryByRole("table")).toBeNull();
    });

    it(`${mode} mode: a switch sends PATCH for that user and shows the answer`, async () => {
      const { seen } = await renderPage(mode, StaffPage, staffRoute, sam);
      const bobIsStaff = await screen.findByRole("switch", { name: "Staff: bob" });
      expect((bobIsStaff as HTMLInputElement).checked).toBe(false);
      fireEvent.click(bobIsStaff);
      await waitFor(() =>
        expect(
          (screen.getByRole("switch", { name: "Staff: bob" }) as HTMLInputElement).checked,
        ).toBe(true),
      );
      const patch = seen.find((request) => request.method === "PATCH");
      expect(patch?.url).toMatch(/\/admin\/users\/u2$/);
      expect(patch?.body).toEqual({ role: "staff" });
      expect(screen.getByRole("status").textContent).toMatch(/^bob is now staff\./);

      fireEvent.click(screen.getByRole("switch", { name: "Disabled: alice" }));
      await waitFor(() => expect(seen.filter((r) => r.method === "PATCH")).toHaveLength(2));
      expect(seen.filter((r) => r.method === "PATCH")[1]?.body).toEqual({ disabled: true });
    });
  }

  it("lists every cart with its size, and offers no switch for the staff member's own account", async () => {
    await renderPage("session", StaffPage, staffRoute, sam);
    const cartsTable = await screen.findByRole("table", { name: "Carts" });
    expect(within(cartsTable).getAllByRole("row")).toHaveLength(4);
    expect(within(cartsTable).getByText("$24.00")).toBeTruthy();
    expect((screen.getByRole("switch", { name: "Staff: sam" }) as HTMLInputElement).disabled).toBe(
      true,
    );
    expect(
      (screen.getByRole("switch", { name: "Disabled: sam" }) as HTMLInputElement).disabled,
    ).toBe(true);
  });

  it("says which role check let the user in, from the server's trace, not the page's memory", async () => {
    const detail = "role staff, from the store; this route needs staff";
    await renderPage(
      "session",
      StaffPage,
      (path, request) => {
        const answer = staffRoute(path, request);
        return answer && path === "/admin/users"
          ? withTrace(answer, [
              { step: "lookup_session", action: "role checked", outcome: "ok", detail },
            ])
          : answer;
      },
      { ...bob, role: "customer" },
    );
    await screen.findByRole("table", { name: "Users" });
    const intro = screen.getByText(
      (_, element) => element?.tagName === "P" && /let you in/.test(element.textContent ?? ""),
    );
    expect(intro.textContent).toBe(
      `You are Bob, and the server let you in (${detail}). Staff cannot change their own account (the server answers 409 own_account): another staff member must.`,
    );
  });

  it("shows the server's refusal of a change and keeps the row as it was", async () => {
    await renderPage(
      "session",
      StaffPage,
      (path, request) =>
        request.method === "PATCH"
          ? json(404, errorBody("not_found", "There is no user with that id."))
          : staffRoute(path, request),
      sam,
    );
    fireEvent.click(await screen.findByRole("switch", { name: "Staff: bob" }));
    expect((await screen.findByRole("alert")).textContent).toContain(
      "There is no user with that id.",
    );
    expect((screen.getByRole("switch", { name: "Staff: bob" }) as HTMLInputElement).checked).toBe(
      false,
    );
  });

  it("asks a visitor to log in first, without calling the staff routes", async () => {
    const { calls } = await renderPage("jwt", StaffPage, staffRoute);
    expect(screen.getByText(/needs a login first/)).toBeTruthy();
    expect(calls().some((call) => call.includes("/admin/"))).toBe(false);
  });
});
