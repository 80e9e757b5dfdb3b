import {
  Fragment,
  type KeyboardEvent,
  type PointerEvent,
  type ReactElement,
  type ReactNode,
  useRef,
} from "react";
import { usePreference } from "./preferences";

/** One column: its name (for the resize handles) and the element that is the column. */
export interface Column {
  label: string;
  element: ReactElement;
}

const minPercent = 15;
const keyStepPercent = 2;
const defaults: Record<number, number[]> = { 2: [55, 45], 3: [36, 34, 30] };

function validWidths(count: number) {
  return (value: unknown): value is number[] =>
    Array.isArray(value) &&
    value.length === count &&
    value.every((width) => typeof width === "number" && width >= minPercent) &&
    Math.abs(value.reduce((sum: number, width: number) => sum + width, 0) - 100) < 0.5;
}

/**
 * Side-by-side columns that fill the screen below the top bar, each scrolling on its own, with a
 * handle between two neighbours to drag (or move with the arrow keys) the border. The widths are
 * remembered per number of columns. `stacked`, on a narrow screen, puts them one below the other
 * in the same element, so crossing the breakpoint moves each column without building it again
 * (a half-filled form keeps what was typed); `after` follows them (the phone's step strip).
 */
export function Columns({
  columns,
  stacked = false,
  after,
}: {
  columns: readonly Column[];
  stacked?: boolean;
  after?: ReactNode;
}) {
  const count = columns.length;
  const [widths, setWidths] = usePreference(
    `columns.${count}`,
    defaults[count] ?? columns.map(() => 100 / count),
    validWidths(count),
  );
  const grid = useRef<HTMLDivElement>(null);

  /** Moves the border after column `index` to `atPercent` of the row, within the limits. */
  const moveBorder = (index: number, atPercent: number) => {
    const before = widths.slice(0, index).reduce((sum, width) => sum + width, 0);
    const pair = (widths[index] ?? 0) + (widths[index + 1] ?? 0);
    const left = Math.min(pair - minPercent, Math.max(minPercent, atPercent - before));
    const next = [...widths];
    next[index] = Math.round(left * 10) / 10;
    next[index + 1] = Math.round((pair - left) * 10) / 10;
    setWidths(next);
  };
  const borderAt = (index: number) => widths.slice(0, index + 1).reduce((a, b) => a + b, 0);

  const drag = (index: number) => (event: PointerEvent<HTMLDivElement>) => {
    const box = grid.current?.getBoundingClientRect();
    if (!box) return;
    const handle = event.currentTarget;
    handle.setPointerCapture(event.pointerId);
    const move = (moveEvent: globalThis.PointerEvent) =>
      moveBorder(index, ((moveEvent.clientX - box.left) / box.width) * 100);
    const end = () => {
      handle.removeEventListener("pointermove", move);
      handle.removeEventListener("pointerup", end);
    };
    handle.addEventListener("pointermove", move);
    handle.addEventListener("pointerup", end);
  };
  const keys = (index: number) => (event: KeyboardEvent<HTMLDivElement>) => {
    const by =
      event.key === "ArrowLeft" ? -keyStepPercent : event.key === "ArrowRight" ? keyStepPercent : 0;
    if (!by) return;
    event.preventDefault();
    moveBorder(index, borderAt(index) + by);
  };

  const template = widths.map((width) => `minmax(0, ${width}fr)`).join(" var(--handle) ");
  return (
    <div
      className={stacked ? "stack" : "columns"}
      ref={grid}
      style={stacked ? undefined : { gridTemplateColumns: template }}
    >
      {columns.map((column, index) => (
        <Fragment key={column.label}>
          {column.element}
          {!stacked && index < count - 1 && (
            // A focusable separator is the ARIA pattern for a splitter: arrow keys move it.
            // biome-ignore lint/a11y/useSemanticElements: <hr> cannot be focused or dragged
            <div
              className="column-handle"
              role="separator"
              aria-orientation="vertical"
              aria-label={`Resize ${column.label} and ${columns[index + 1]?.label}`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(borderAt(index))}
              tabIndex={0}
              onPointerDown={drag(index)}
              onKeyDown={keys(index)}
            />
          )}
        </Fragment>
      ))}
      {after}
    </div>
  );
}
