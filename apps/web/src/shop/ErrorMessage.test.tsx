import { act, cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../api/client";
import { ErrorMessage } from "./ErrorMessage";
import { describeError } from "./format";

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const rateLimited = (retryAtMs: number) => new ApiError(429, "rate_limited", "Too many", retryAtMs);

describe("ErrorMessage", () => {
  it("counts Retry-After down to the moment it names, then stops ticking", async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    render(<ErrorMessage error={rateLimited(1_002_000)} mode="session" />);
    expect(screen.getByRole("alert").textContent).toContain("Try again in 2 s");
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(screen.getByRole("alert").textContent).toContain("Try again in 1 s");
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(screen.getByRole("alert").textContent).toContain("You can try again now.");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("starts a new countdown for a new 429 without being remounted", async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { rerender } = render(<ErrorMessage error={rateLimited(1_001_000)} mode="session" />);
    await act(() => vi.advanceTimersByTimeAsync(3000));
    rerender(<ErrorMessage error={rateLimited(Date.now() + 30_000)} mode="session" />);
    expect(screen.getByRole("alert").textContent).toContain("Try again in 30 s");
  });
});

describe("a locked account", () => {
  it("says the account is locked, and counts the Retry-After in minutes", () => {
    vi.useFakeTimers({ now: 1_000_000 });
    render(<ErrorMessage error={rateLimited(1_000_000 + 900_000)} mode="jwt" />);
    const text = screen.getByRole("alert").textContent ?? "";
    expect(text).toContain("this account is locked");
    expect(text).not.toContain("from here");
    expect(text).toContain("Try again in 15 min (Retry-After).");
  });
});

describe("describeError", () => {
  it("tells an ended login from an expired token by its code, not by its words", () => {
    const ended = new ApiError(401, "login_ended", "Your login ended: log in again.");
    expect(describeError(ended, "jwt")).toBe("Your login ended: log in again.");
    const expired = new ApiError(401, "token_expired", "please log in");
    expect(describeError(expired, "jwt")).toMatch(/access token expired/);
  });

  it("names the contract's per-line limit", () => {
    const limit = new ApiError(409, "quantity_limit", "");
    expect(describeError(limit, "session")).toContain("at most 99");
  });
});
