import {
  chapters as bundledChapters,
  type ChapterEntry,
  type RenderedChapter,
} from "virtual:docs-chapters";
import { useEffect, useId, useLayoutEffect, useRef, useState } from "react";
import type { DocsPanelProps } from "../app/docsSlot";
import { chapterForMode } from "./chapters";
import "./docs.css";

export interface DocsPanelOwnProps extends DocsPanelProps {
  /** The chapters to show; the docs/*.md of this build unless a test passes its own. */
  chapters?: readonly ChapterEntry[];
}

/** A chapter (and heading) the reader chose. */
interface Picked {
  file: string;
  anchor: string | undefined;
}

/**
 * The annotated docs beside the inspector: the chapter for the active mode (02 for sessions, 03
 * for JWT; any other from the picker), with the section of the step just lit marked and, while
 * "Follow the workflow" is on, scrolled into view inside the panel. A chapter the reader picks
 * stays until they pick another (or a replay asks for the steps' code): following the workflow
 * never pulls them away from it. Each chapter is HTML rendered from docs/*.md at build time
 * (`build/render.ts`), loaded the first time it is shown.
 */
export function DocsPanel({
  mode,
  activeStep,
  litSteps,
  showStepsRequest = 0,
  chapters = bundledChapters,
}: DocsPanelOwnProps) {
  const modeChapter = chapterForMode[mode];
  const [picked, setPicked] = useState<Picked | null>(null);
  const [follow, setFollow] = useState(true);
  const bodyRef = useRef<HTMLDivElement>(null);
  const pickerId = useId();
  const shownAt = useRef<{ file: string | undefined; anchor: string | undefined }>({
    file: undefined,
    anchor: undefined,
  });

  // A replay shows each step's code: back to the mode's chapter, following the steps.
  const [seenRequest, setSeenRequest] = useState(showStepsRequest);
  if (seenRequest !== showStepsRequest) {
    setSeenRequest(showStepsRequest);
    setPicked(null);
    setFollow(true);
  }

  const shown = picked ?? { file: modeChapter, anchor: undefined };
  const entry = chapters.find((candidate) => candidate.file === shown.file) ?? chapters[0];
  const { chapter, failed } = useChapter(entry);
  const file = entry?.file;
  const anchor = entry?.file === shown.file ? shown.anchor : undefined;
  const isModeChapter = file === modeChapter;
  const litKey = litSteps.join(" ");

  const navigate = (nextFile: string, nextAnchor: string | undefined) =>
    setPicked(
      nextFile === modeChapter && !nextAnchor ? null : { file: nextFile, anchor: nextAnchor },
    );

  // Links to chapters are buttons inside the rendered HTML: one listener opens them in place.
  useEffect(() => {
    const body = bodyRef.current;
    const onClick = (event: MouseEvent) => {
      const link = (event.target as Element).closest<HTMLElement>("button.docs-link[data-file]");
      const linked = link?.dataset.file;
      if (linked) setPicked({ file: linked, anchor: link.dataset.anchor });
    };
    body?.addEventListener("click", onClick);
    return () => body?.removeEventListener("click", onClick);
  }, []);

  // After each render that changed what should stand out or be in view: mark the sections of
  // the lit steps (in the mode's own chapter only), then bring the target into view.
  useLayoutEffect(() => {
    const body = bodyRef.current;
    if (!body || !chapter || body.dataset.chapter !== file) return; // a chapter on its way
    const lit = litKey.split(" ");
    for (const section of body.querySelectorAll<HTMLElement>("section[data-steps]")) {
      const steps = (section.dataset.steps ?? "").split(" ");
      const active = isModeChapter && activeStep !== null && steps.includes(activeStep);
      const done = isModeChapter && !active && steps.some((step) => lit.includes(step));
      section.classList.toggle("docs-step-active", active);
      section.classList.toggle("docs-step-done", done);
      if (active) section.setAttribute("aria-current", "step");
      else section.removeAttribute("aria-current");
      const badge = section.querySelector<HTMLElement>(":scope > .docs-step-badge");
      if (badge) badge.hidden = !active;
    }
    const opened = shownAt.current.file !== file || shownAt.current.anchor !== anchor;
    shownAt.current = { file, anchor };
    const stepTarget =
      follow && isModeChapter && activeStep
        ? findElement(body, "[data-steps]", (element) =>
            (element.dataset.steps ?? "").split(" ").includes(activeStep),
          )
        : undefined;
    if (anchor && opened) {
      const target = findElement(body, "[id]", (element) => element.id === `docs-${anchor}`);
      if (target) scrollWithinPanel(body, target);
    } else if (stepTarget) scrollWithinPanel(body, stepTarget);
    else if (opened) body.scrollTop = 0; // a chapter opens at its top, not where the last one was
  }, [chapter, file, anchor, activeStep, litKey, isModeChapter, follow]);

  if (!entry) return <p>No docs were bundled with this build.</p>;

  return (
    <section className="docs-panel">
      <div className="docs-toolbar">
        <label htmlFor={pickerId}>Chapter</label>
        <select
          id={pickerId}
          value={entry.file}
          onChange={(event) => navigate(event.target.value, undefined)}
        >
          {chapters.map((candidate) => (
            <option key={candidate.file} value={candidate.file}>
              {candidate.title}
              {candidate.file === modeChapter ? " (this mode)" : ""}
            </option>
          ))}
        </select>
        <label className="docs-follow">
          <input
            type="checkbox"
            checked={follow}
            onChange={(event) => setFollow(event.target.checked)}
          />
          Follow the workflow
        </label>
      </div>
      <div
        className="docs-body"
        ref={bodyRef}
        data-chapter={chapter ? entry.file : undefined}
        aria-busy={!chapter && !failed}
      >
        {chapter ? (
          // Safe to insert as HTML: it was rendered at build time from the repository's own
          // docs, with raw HTML shown as text and only http(s) links (build/render.ts).
          // biome-ignore lint/security/noDangerouslySetInnerHtml: build-time HTML, see above
          <div className="docs-chapter" dangerouslySetInnerHTML={{ __html: chapter.html }} />
        ) : failed ? (
          <p role="alert">
            “{entry.title}” could not be loaded. Is the web app still running? Reload to try again.
          </p>
        ) : (
          <p className="docs-loading">Loading “{entry.title}”…</p>
        )}
      </div>
    </section>
  );
}

/** Chapters already loaded: showing one again is instant. */
const loadedChapters = new WeakMap<ChapterEntry, RenderedChapter>();

/** The chapter's HTML once its module has arrived, or that it could not be loaded. */
function useChapter(entry: ChapterEntry | undefined): {
  chapter: RenderedChapter | undefined;
  failed: boolean;
} {
  const [, setLoadedCount] = useState(0);
  const [failedEntry, setFailedEntry] = useState<ChapterEntry | null>(null);
  useEffect(() => {
    if (!entry || loadedChapters.has(entry)) return;
    let current = true;
    entry.load().then(
      (chapter) => {
        loadedChapters.set(entry, chapter);
        if (current) setLoadedCount((count) => count + 1);
      },
      () => {
        if (current) setFailedEntry(entry);
      },
    );
    return () => {
      current = false;
    };
  }, [entry]);
  return {
    chapter: entry ? loadedChapters.get(entry) : undefined,
    failed: entry !== undefined && failedEntry === entry,
  };
}

function findElement(
  root: HTMLElement,
  selector: string,
  test: (element: HTMLElement) => boolean,
): HTMLElement | undefined {
  return Array.from(root.querySelectorAll<HTMLElement>(selector)).find(test);
}

/** Scrolls the panel's body (its own scroller, never the page) so `target` sits at its top. */
function scrollWithinPanel(body: HTMLElement, target: HTMLElement): void {
  const offset = target.getBoundingClientRect().top - body.getBoundingClientRect().top;
  body.scrollTop += offset - 8;
}
