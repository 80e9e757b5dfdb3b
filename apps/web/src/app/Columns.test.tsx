import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Column, Columns } from "./Columns";

afterEach(cleanup);
beforeEach(() => localStorage.clear());

const column = (label: string): Column => ({ label, element: <section>{label}</section> });
const tracks = (container: HTMLElement) =>
  (container.querySelector<HTMLElement>(".columns")?.style.gridTemplateColumns.match(/fr/g) ?? [])
    .length;

describe("the resizable columns", () => {
  it("move a border with the arrow keys, and remember it", () => {
    const { unmount } = render(<Columns columns={[column("shop"), column("inspector")]} />);
    const handle = screen.getByRole("separator", { name: "Resize shop and inspector" });
    const before = Number(handle.getAttribute("aria-valuenow"));
    fireEvent.keyDown(handle, { key: "ArrowRight" });
    expect(Number(handle.getAttribute("aria-valuenow"))).toBe(before + 2);
    unmount();
    render(<Columns columns={[column("shop"), column("inspector")]} />);
    expect(Number(screen.getByRole("separator").getAttribute("aria-valuenow"))).toBe(before + 2);
  });

  it("lay out as many tracks as there are columns when one is taken away", () => {
    const three = [column("shop"), column("inspector"), column("docs")];
    const { container, rerender } = render(<Columns columns={three} />);
    expect(tracks(container)).toBe(3);
    rerender(<Columns columns={three.slice(0, 2)} />);
    expect(tracks(container)).toBe(2);
  });
});
