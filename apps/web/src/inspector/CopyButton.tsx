import { useState } from "react";

/** Copies `text` to the clipboard and says so; the label names what is copied. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [said, setSaid] = useState("");
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setSaid("Copied.");
    } catch {
      // No clipboard (an old browser, or permission refused): the text is on screen to select.
      setSaid("Could not copy: select the text and copy it by hand.");
    }
  }
  return (
    <span className="copy">
      <button type="button" className="secondary small" onClick={() => void copy()}>
        {label}
      </button>
      <span className="copy-said" role="status">
        {said}
      </span>
    </span>
  );
}
