import type { JwtDemoState, SessionDemoState } from "@repo/contract";
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { alice } from "../api/fakeFetch";
import { ServerKeeps } from "./ServerKeeps";

afterEach(cleanup);

const row = (id: string): SessionDemoState["sessions"][number] => ({
  id,
  userId: alice.id,
  username: alice.username,
  createdAt: null,
  expiresAt: null,
  absoluteExpiresAt: null,
  data: {},
});

function ownRows(sessions: SessionDemoState["sessions"]): string[] {
  const { container } = render(
    <ServerKeeps
      demo={{
        status: "ready",
        data: { mode: "session", store: "memory", sessions, otherSessions: 0 },
      }}
      requests={[]}
      user={alice}
      tokenPlace="in memory"
      tokenHeld={false}
    />,
  );
  return [...container.querySelectorAll<HTMLElement>('tr[data-own="true"] td:first-child')].map(
    (cell) => cell.firstChild?.textContent ?? "",
  );
}

describe("what the server keeps", () => {
  it("marks the user's only session row as this browser's", () => {
    expect(ownRows([row("abc123…")])).toEqual(["abc123…"]);
  });

  it("marks no row when the same user is logged in from another browser too", () => {
    expect(ownRows([row("abc123…"), row("def456…")])).toEqual([]);
  });
});

const inSevenDays = new Date(Date.now() + 7 * 86_400_000).toISOString();
const refreshRow = (
  id: string,
  status: "active" | "rotated" | "revoked",
  issuedAt: string,
): JwtDemoState["refreshTokens"][number] => ({
  id,
  family: "fam123…",
  userId: alice.id,
  username: alice.username,
  issuedAt,
  expiresAt: inSevenDays,
  status,
});
const jwtState = (refreshTokens: JwtDemoState["refreshTokens"]): JwtDemoState => ({
  mode: "jwt",
  store: "sqlite",
  algorithm: "HS256",
  accessTokensKept: 0,
  denylistEnabled: false,
  refreshTokens,
  otherRefreshTokens: 0,
  denylist: [],
});

function renderJwt(
  refreshTokens: JwtDemoState["refreshTokens"],
  loggedIn: boolean,
  tokenHeld: boolean,
) {
  return render(
    <ServerKeeps
      demo={{ status: "ready", data: jwtState(refreshTokens) }}
      requests={[]}
      user={loggedIn ? alice : null}
      tokenPlace="in memory"
      tokenHeld={tokenHeld}
    />,
  );
}

describe("what the JWT server keeps", () => {
  it("gives a refresh token's expiry as a full date with the time left, not a time of day", () => {
    const { container } = renderJwt(
      [refreshRow("tok1…", "active", new Date().toISOString())],
      true,
      true,
    );
    const expires = container.querySelector("tbody tr td:last-child")?.textContent ?? "";
    expect(expires).toMatch(/\d{4}/);
    expect(expires).toContain("(in 7 days)");
  });

  it("shows each family's rotation chain, oldest first", () => {
    renderJwt(
      [
        refreshRow("tok2…", "active", "2026-12-04T10:05:00Z"),
        refreshRow("tok1…", "rotated", "2026-12-04T10:00:00Z"),
      ],
      true,
      true,
    );
    const chain = screen.getByRole("list", { name: "Rotation chain of family fam123…" });
    expect([...chain.querySelectorAll("li")].map((item) => item.textContent)).toEqual([
      "tok1… rotated",
      "tok2… active",
    ]);
    expect(screen.getByText(/rotated once/)).toBeTruthy();
  });

  it("no longer says the browser holds a token after logout", () => {
    renderJwt([refreshRow("tok1…", "revoked", "2026-12-04T10:00:00Z")], false, false);
    const browser = screen.getByTestId("jwt-browser-holds").textContent ?? "";
    expect(browser).not.toMatch(/whole signed access token/);
    expect(browser).toMatch(/^nothing/);
  });
});
