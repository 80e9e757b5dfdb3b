import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { alice } from "../api/fakeFetch";
import { ServerKeeps } from "../inspector/ServerKeeps";
import { TokenView } from "../inspector/TokenView";

afterEach(cleanup);

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
const tokenWith = (payload: object) =>
  `${part({ alg: "HS256", typ: "at+jwt" })}.${part(payload)}.c2ln`;

describe("the role, where each mode keeps it", () => {
  it("shows the decoded token's role claim, trusted until exp", () => {
    render(<TokenView token={tokenWith({ sub: "u3", role: "staff", exp: 2_000_000_000 })} />);
    const claim = screen.getByTestId("role-claim").textContent ?? "";
    expect(claim).toMatch(/^Role claim: staff\./);
    expect(claim).toContain("until exp");
  });

  it("shows no role line for a token without the claim", () => {
    render(<TokenView token={tokenWith({ sub: "u1", exp: 2_000_000_000 })} />);
    expect(screen.queryByTestId("role-claim")).toBeNull();
  });

  it("shows the role in the session row, as the server read it from the store", () => {
    const session = {
      id: "abc123…",
      userId: alice.id,
      username: alice.username,
      role: "staff" as const,
      createdAt: null,
      expiresAt: null,
      absoluteExpiresAt: null,
      data: {},
    };
    render(
      <ServerKeeps
        demo={{
          status: "ready",
          data: { mode: "session", store: "sqlite", sessions: [session], otherSessions: 0 },
        }}
        requests={[]}
        user={alice}
        tokenPlace="in memory"
        tokenHeld={false}
      />,
    );
    const role = screen.getByTestId("session-role");
    expect(role.textContent).toBe(" (staff, from the store)");
    expect(role.closest("tr")?.textContent).toContain("alice");
  });
});
