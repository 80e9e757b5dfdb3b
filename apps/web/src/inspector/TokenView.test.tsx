import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { axeViolations } from "../test-axe";
import { TokenStorageSetting, TokenView } from "./TokenView";

afterEach(cleanup);

describe("the token storage setting", () => {
  it("does not sell memory as safe from XSS: a script can still ask /auth/refresh", () => {
    render(<TokenStorageSetting value="memory" onChange={() => undefined} />);
    const text = screen.getByText(/gone with the tab/).textContent ?? "";
    expect(text).toContain("XSS script can still ask /auth/refresh for a fresh token");
    expect(text).not.toMatch(/out of reach/i);
  });

  it("says localStorage is readable by any script and outlives the tab", () => {
    render(<TokenStorageSetting value="localStorage" onChange={() => undefined} />);
    const text = screen.getByText(/any script/).textContent ?? "";
    expect(text).toContain("stays after the tab closes");
  });
});

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
const token = `${part({ alg: "HS256", typ: "at+jwt" })}.${part({ sub: "u1", exp: 2_000_000_000 })}.c2ln`;

describe("the decoded token", () => {
  it("keeps the heading order under the panel's h2 (no h4 straight after an h2)", async () => {
    const { container } = render(
      <section>
        <h2>What proves identity: the token</h2>
        <TokenView token={token} />
      </section>,
    );
    expect(await axeViolations(container, ["heading-order"])).toEqual([]);
  });

  it("copies the token itself, for replaying it after logout", async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    render(<TokenView token={token} />);
    fireEvent.click(screen.getByRole("button", { name: "Copy the token" }));
    expect(writeText).toHaveBeenCalledWith(token);
    expect(await screen.findByText("Copied.", undefined, { timeout: 15_000 })).toBeTruthy();
  });
});
