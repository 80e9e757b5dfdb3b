import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ModeToggle } from "./ModeToggle";
import { navigate, parseLocation, useLocation } from "./router";

afterEach(cleanup);

describe("ModeToggle", () => {
  it("shows the current mode as the checked, labelled choice", () => {
    render(<ModeToggle mode="jwt" onChange={() => undefined} />);
    expect(screen.getByRole("group", { name: "Authentication mode" })).toBeTruthy();
    expect((screen.getByRole("radio", { name: /JWT/ }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole("radio", { name: /Session/ }) as HTMLInputElement).checked).toBe(
      false,
    );
  });

  it("asks for the other mode when clicked", () => {
    const onChange = vi.fn();
    render(<ModeToggle mode="session" onChange={onChange} />);
    fireEvent.click(screen.getByRole("radio", { name: /JWT/ }));
    expect(onChange).toHaveBeenCalledWith("jwt");
  });
});

function WhereAmI() {
  const location = useLocation();
  return (
    <>
      <ModeToggle mode={location.mode} onChange={(mode) => navigate({ ...location, mode })} />
      <p data-testid="where">{`${location.page} ${location.mode}`}</p>
    </>
  );
}

describe("the mode in the URL", () => {
  it("reads ?mode= and falls back to session for anything else", () => {
    expect(parseLocation("/cart", "?mode=jwt")).toEqual({ page: "cart", mode: "jwt" });
    expect(parseLocation("/nowhere", "?mode=nope")).toEqual({ page: "products", mode: "session" });
  });

  it("writes the chosen mode into the URL and keeps the page", () => {
    window.history.replaceState(null, "", "/cart?mode=session");
    render(<WhereAmI />);
    fireEvent.click(screen.getByRole("radio", { name: /JWT/ }));
    expect(window.location.search).toBe("?mode=jwt");
    expect(screen.getByTestId("where").textContent).toBe("cart jwt");
    act(() => {
      window.history.back();
    });
  });
});
