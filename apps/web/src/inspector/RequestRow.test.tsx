import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { RequestRecord } from "../api/client";
import { RequestLog, RequestRow, setCookieEntries } from "./RequestRow";
import { Workflow } from "./Workflow";

afterEach(cleanup);

const login: RequestRecord = {
  id: 1,
  method: "POST",
  path: "/api/session/auth/login",
  status: 200,
  durationMs: 41.7,
  identity: { kind: "none", text: "no session yet" },
  trace: [
    { step: "verify_password", action: "password verified", outcome: "ok" },
    { step: "store_session", action: "session stored", outcome: "ok", detail: "id abc123…" },
    {
      step: "issue_cookie",
      action: "Set-Cookie: sid, signed",
      outcome: "ok",
      detail:
        "sid=…; Path=/api/session; Expires=Fri, 05 Dec 2026 18:00:00 GMT; HttpOnly; SameSite=Lax",
    },
  ],
};

const cartWithBearer: RequestRecord = {
  id: 2,
  method: "GET",
  path: "/api/jwt/cart",
  status: 401,
  durationMs: 3,
  identity: { kind: "bearer", text: "Bearer eyJhbGciOiJI…" },
  trace: [{ step: "verify_token", action: "token expired", outcome: "fail" }],
  errorCode: "token_expired",
};

function renderRow(record: RequestRecord): HTMLElement {
  const { container } = render(
    <ol>
      <RequestRow record={record} open />
    </ol>,
  );
  const row = container.querySelector<HTMLElement>("li.request-row");
  if (!row) throw new Error("no request row rendered");
  return row;
}

describe("inspector request rows", () => {
  it("show method, path, status and time at a glance", () => {
    render(<RequestLog requests={[login]} />);
    const summary = screen.getByText("/api/session/auth/login").closest("summary");
    expect(summary?.textContent).toContain("POST");
    expect(summary?.textContent).toContain("200");
    expect(summary?.textContent).toContain("42 ms");
  });

  it("show the Set-Cookie attributes the server trace reports, Path and Expires included", () => {
    render(<RequestLog requests={[login]} />);
    const setCookie = screen.getByText("Set-Cookie").nextElementSibling;
    expect(setCookie?.textContent).toContain(
      "Set-Cookie: sid=…; Path=/api/session; Expires=Fri, 05 Dec 2026 18:00:00 GMT; HttpOnly; SameSite=Lax",
    );
    expect(screen.getByText("Store a session")).toBeTruthy();
    expect(setCookieEntries(login.trace).map((entry) => entry.step)).toEqual(["issue_cookie"]);
  });

  it("show a row for the refresh cookie JWT logout clears", () => {
    const row = renderRow({
      ...login,
      path: "/api/jwt/auth/logout",
      status: 204,
      trace: [
        { step: "clear_token", action: "refresh token family revoked", outcome: "ok" },
        {
          step: "clear_token",
          action: "refresh cookie cleared",
          outcome: "ok",
          detail:
            "refresh_token=; Path=/api/jwt/auth; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict",
        },
      ],
    });
    const cleared = row.querySelector<HTMLElement>('.set-cookies li[data-clears="true"]');
    expect(cleared?.textContent).toContain("clears: refresh cookie cleared");
    expect(cleared?.textContent).toContain("Path=/api/jwt/auth");
  });

  it("tell an info step from a success in words, not only in colour", () => {
    const row = renderRow({
      ...login,
      path: "/api/jwt/auth/logout",
      trace: [
        { step: "clear_token", action: "refresh token family revoked", outcome: "ok" },
        { step: "clear_token", action: "access token still valid until exp", outcome: "info" },
      ],
    });
    const [revoked, stillValid] = within(row).getAllByRole("listitem").slice(-2);
    expect(stillValid?.dataset.outcome).toBe("info");
    expect(stillValid?.querySelector(".outcome")?.textContent).toContain("info");
    expect(revoked?.querySelector(".outcome")?.textContent).toContain("ok");
  });

  it("show the bearer token that proved identity, the error code and a failed step", () => {
    const row = renderRow(cartWithBearer);
    expect(within(row).getByText("Bearer eyJhbGciOiJI…")).toBeTruthy();
    expect(within(row).getByText("token_expired")).toBeTruthy();
    expect(within(row).getByText("Verify the signature").closest("li")?.dataset.outcome).toBe(
      "fail",
    );
  });

  it("say when no answer came back", () => {
    renderRow({ ...cartWithBearer, status: 0, trace: [] });
    expect(screen.getByText("no answer")).toBeTruthy();
    expect(screen.getByText("none reported")).toBeTruthy();
  });
});

describe("workflow list", () => {
  it("lights the steps that happened and marks the one pointed at", () => {
    render(
      <Workflow
        mode="jwt"
        steps={{ post_credentials: "ok", verify_password: "fail" }}
        view={{
          steps: {},
          current: { step: "verify_password", outcome: "fail", notes: ["password checked"] },
          position: 2,
          total: 2,
          replaying: false,
          paused: false,
        }}
      />,
    );
    const items = screen.getAllByRole("listitem");
    expect(items).toHaveLength(8);
    expect(items[0]?.dataset.state).toBe("ok");
    expect(items[1]?.dataset.state).toBe("fail");
    expect(items[1]?.getAttribute("aria-current")).toBe("step");
    expect(items[2]?.dataset.state).toBe("pending");
  });

  it("shows JWT logout's info as info, in words, never as done", () => {
    render(<Workflow mode="jwt" steps={{ clear_token: "info" }} />);
    const item = screen.getByText("Clear it at logout").closest("li");
    expect(item?.dataset.state).toBe("info");
    const mark = item?.querySelector(".outcome");
    expect(mark?.textContent).toContain("info");
    expect(mark?.closest(".visually-hidden")).toBeNull();
  });

  it("marks no step as current before anything happened", () => {
    render(<Workflow mode="session" steps={{}} />);
    expect(screen.getAllByRole("listitem").some((item) => item.hasAttribute("aria-current"))).toBe(
      false,
    );
  });
});

describe("the instance that answered", () => {
  it("is named in the row when the backend sent X-Instance, and nothing shows otherwise", () => {
    const row = renderRow({ ...login, instance: "4001-b" });
    const tag = within(row).getByTitle("Which instance answered (X-Instance)");
    expect(tag.textContent).toBe("answered by instance 4001-b");
    cleanup();
    expect(
      within(renderRow(login)).queryByTitle("Which instance answered (X-Instance)"),
    ).toBeNull();
  });
});
