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
      action: "Set-Cookie sid",
      outcome: "ok",
      detail: "HttpOnly; SameSite=Lax; Path=/api/session",
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

  it("show the Set-Cookie attributes the server trace reports, and each server step", () => {
    render(<RequestLog requests={[login]} />);
    const setCookie = screen.getByText("Set-Cookie").nextElementSibling;
    expect(setCookie?.textContent).toContain(
      "Set-Cookie sid: HttpOnly; SameSite=Lax; Path=/api/session",
    );
    expect(screen.getByText("Store a session")).toBeTruthy();
    expect(setCookieEntries(login.trace).map((entry) => entry.step)).toEqual(["issue_cookie"]);
    const read = {
      step: "send_cookie",
      action: "sid cookie read from the Cookie header",
      outcome: "ok",
    } as const;
    const refresh = {
      step: "return_token",
      action: "refresh token set in an HttpOnly cookie",
      outcome: "ok",
    } as const;
    expect(setCookieEntries([read, refresh])).toEqual([refresh]);
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
  it("lights the steps that happened and marks the latest", () => {
    render(
      <Workflow
        mode="jwt"
        steps={{ post_credentials: "ok", verify_password: "fail" }}
        lastStep="verify_password"
      />,
    );
    const items = screen.getAllByRole("listitem");
    expect(items).toHaveLength(8);
    expect(items[0]?.dataset.state).toBe("ok");
    expect(items[1]?.dataset.state).toBe("fail");
    expect(items[1]?.getAttribute("aria-current")).toBe("step");
    expect(items[2]?.dataset.state).toBe("pending");
  });
});
