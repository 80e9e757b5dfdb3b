import type { SessionDemoState } from "@repo/contract";
import { cleanup, render } from "@testing-library/react";
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
