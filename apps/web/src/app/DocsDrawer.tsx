import { type ReactNode, useEffect, useRef } from "react";

/**
 * The docs over the right edge of a narrow screen, until closed (the button, or Escape). Focus
 * moves into it on opening and back to where it was on closing.
 */
export function DocsDrawer({ onClose, children }: { onClose: () => void; children: ReactNode }) {
  const drawer = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    drawer.current?.querySelector<HTMLElement>(".drawer-close")?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") onClose();
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      before?.focus();
    };
  }, [onClose]);
  return (
    <div className="docs-drawer" ref={drawer}>
      <button type="button" className="secondary small drawer-close" onClick={onClose}>
        Close the docs
      </button>
      {children}
    </div>
  );
}
