import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { TokenStorageSetting } from "./TokenView";

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
