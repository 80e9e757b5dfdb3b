import type { WorkflowStep } from "@repo/contract";
import { useId, useLayoutEffect, useRef, useState } from "react";
import type { DocsPanelProps } from "../app/docsSlot";
import { chapters as bundledChapters, type Chapter, chapterForMode, embeddedIn } from "./chapters";
import { type LinkTarget, Markdown } from "./Markdown";
import "./docs.css";

export interface DocsPanelOwnProps extends DocsPanelProps {
  /** The chapters to show; the bundled docs/*.md unless a test passes its own. */
  chapters?: readonly Chapter[];
}

/** A chapter (and heading) the reader chose, and the step that was lit when they did. */
interface Picked {
  file: string;
  anchor: string | undefined;
  atStep: WorkflowStep | null;
}

/**
 * The annotated docs beside the inspector: the chapter for the active mode (02 for sessions, 03
 * for JWT; any other from the picker), with the section of the step just lit marked and scrolled
 * into view inside the panel. Everything comes from docs/*.md, bundled at build time.
 */
export function DocsPanel({
  mode,
  activeStep,
  litSteps,
  chapters = bundledChapters,
}: DocsPanelOwnProps) {
  const modeChapter = chapterForMode[mode];
  const [picked, setPicked] = useState<Picked | null>(null);
  const [follow, setFollow] = useState(true);
  const bodyRef = useRef<HTMLDivElement>(null);
  const toolbarRef = useRef<HTMLDivElement>(null);
  const pickerId = useId();

  // A chapter the reader picked stays until, while following the workflow, a new step lights up
  // and brings back the mode's chapter. (App remounts the panel with each mode, via its key.)
  const shown =
    picked && !(follow && picked.atStep !== activeStep)
      ? picked
      : { file: modeChapter, anchor: undefined };
  const { file, anchor } = shown;

  // After each render that changed what should be in view, bring it into view inside the panel.
  useLayoutEffect(() => {
    const body = bodyRef.current;
    if (!body || body.dataset.chapter !== file) return; // a chapter still on its way
    const target = anchor
      ? findElement(body, "[id]", (element) => element.id === `docs-${anchor}`)
      : activeStep
        ? findElement(body, "[data-steps]", (element) =>
            (element.dataset.steps ?? "").split(" ").includes(activeStep),
          )
        : undefined;
    const toolbarHeight = toolbarRef.current?.getBoundingClientRect().height ?? 0;
    if (target) scrollWithinPanel(target, toolbarHeight);
    else if (!anchor && !activeStep) body.scrollTop = 0;
  }, [file, anchor, activeStep]);

  const chapter = chapters.find((candidate) => candidate.file === file) ?? chapters[0];
  if (!chapter) return <p>No docs were bundled with this build.</p>;

  const navigate = (nextFile: string, nextAnchor: string | undefined) =>
    setPicked({ file: nextFile, anchor: nextAnchor, atStep: activeStep });
  const knownFiles = new Set(chapters.map((candidate) => candidate.file));

  return (
    <section className="docs-panel">
      <div className="docs-toolbar" ref={toolbarRef}>
        <label htmlFor={pickerId}>Chapter</label>
        <select
          id={pickerId}
          value={chapter.file}
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
      <div className="docs-body" ref={bodyRef} data-chapter={chapter.file}>
        <Markdown
          blocks={chapter.blocks}
          resolveLink={(href) => resolveLink(href, chapter.file, knownFiles)}
          onNavigate={navigate}
          activeStep={chapter.file === modeChapter ? activeStep : null}
          litSteps={chapter.file === modeChapter ? litSteps : []}
        />
      </div>
    </section>
  );
}

/** What a link in `docs/<from>` points at: a chapter and heading, the web, or a repository file. */
export function resolveLink(
  href: string,
  from: string,
  chapterFiles: ReadonlySet<string>,
): LinkTarget {
  if (/^https?:\/\//i.test(href)) return { kind: "external", href };
  const hashAt = href.indexOf("#");
  const path = hashAt === -1 ? href : href.slice(0, hashAt);
  const anchor = hashAt === -1 ? undefined : href.slice(hashAt + 1) || undefined;
  if (path === "") return { kind: "chapter", file: from, anchor };
  const normalized = path.replace(/^\.\//, "");
  if (chapterFiles.has(normalized)) return { kind: "chapter", file: normalized, anchor };
  const embedded = embeddedIn[normalized];
  if (embedded) return { kind: "chapter", file: embedded.file, anchor: embedded.anchor };
  // Relative to docs/: `../apps/x.ts#L12` is `apps/x.ts`, line 12.
  const repoPath = normalized.replace(/^(\.\.\/)+/, "");
  const line = anchor && /^L\d+$/.test(anchor) ? `:${anchor.slice(1)}` : "";
  return { kind: "source", path: `${repoPath}${line}` };
}

function findElement(
  root: HTMLElement,
  selector: string,
  test: (element: HTMLElement) => boolean,
): HTMLElement | undefined {
  return Array.from(root.querySelectorAll<HTMLElement>(selector)).find(test);
}

/** Scrolls the nearest scrolling ancestor (the docs column), never the whole page, so that the
 * target sits just below the sticky chapter picker. */
function scrollWithinPanel(target: HTMLElement, toolbarHeight: number): void {
  for (let box = target.parentElement; box && box !== document.body; box = box.parentElement) {
    const overflow = getComputedStyle(box).overflowY;
    if ((overflow === "auto" || overflow === "scroll") && box.scrollHeight > box.clientHeight) {
      const offset = target.getBoundingClientRect().top - box.getBoundingClientRect().top;
      box.scrollTop += offset - toolbarHeight - 8;
      return;
    }
  }
}
