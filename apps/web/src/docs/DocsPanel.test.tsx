import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type ChapterEntry, chapters } from "virtual:docs-chapters";
import { type AuthMode, workflowSteps } from "@repo/contract";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { renderChapter } from "./build/render";
import { chapterForMode } from "./chapters";
import { DocsPanel } from "./DocsPanel";

afterEach(cleanup);

const docsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../docs");

/** Code fences in a chapter's markdown, counted line by line, apart from any parser. */
function fenceCount(file: string): number {
  const lines = readFileSync(path.join(docsDir, file), "utf8").split("\n");
  return lines.filter((line) => /^\s*```/.test(line)).length / 2;
}

const picker = () => screen.getByRole("combobox", { name: "Chapter" }) as HTMLSelectElement;

/** The docs body once it shows `file` (chapters load on demand, so this waits for it). */
async function shown(container: HTMLElement, file: string): Promise<HTMLElement> {
  return waitFor(() => {
    const body = container.querySelector<HTMLElement>(`.docs-body[data-chapter="${file}"]`);
    if (!body) throw new Error(`${file} is not shown yet`);
    return body;
  });
}

describe("DocsPanel", () => {
  it("offers every docs/*.md, the reading order first and the chapters by number", () => {
    const onDisk = readdirSync(docsDir).filter((name) => name.endsWith(".md"));
    const files = chapters.map((chapter) => chapter.file);
    expect([...files].sort()).toEqual([...onDisk].sort());
    expect(files[0]).toBe("README.md");
    // The numbered chapters, in number order, right after the README, however many there are.
    const numbered = files.filter((file) => /^\d\d-/.test(file));
    expect(numbered).toEqual(onDisk.filter((file) => /^\d\d-/.test(file)).sort());
    expect(numbered.slice(0, 3)).toEqual(["01-why-http-forgets.md", "02-sessions.md", "03-jwt.md"]);
    expect(files.slice(1, numbered.length + 1)).toEqual(numbered);
  });

  it.each(chapters.map((chapter) => [chapter.file, chapter] as const))(
    "renders %s with its title, all its code and no markdown syntax left over",
    async (file, chapter) => {
      const { container } = render(<DocsPanel mode="session" activeStep={null} litSteps={[]} />);
      fireEvent.change(picker(), { target: { value: file } });
      const docs = await shown(container, file);
      expect(within(docs).getAllByRole("heading")[0]?.textContent).toBe(chapter.title);
      // Outside code, no markdown syntax may be left: comments, links, emphasis, fences.
      const prose = docs.cloneNode(true) as HTMLElement;
      for (const code of prose.querySelectorAll("pre, code")) code.remove();
      const text = prose.textContent ?? "";
      expect(text).not.toContain("<!--");
      expect(text).not.toMatch(/\]\([^)]*\)/);
      expect(text).not.toContain("**");
      expect(text).not.toContain("```");
      expect(docs.querySelectorAll("pre.docs-code")).toHaveLength(fenceCount(file));
    },
  );

  it("opens the session chapter in session mode and the JWT chapter in JWT mode", async () => {
    const { container, rerender } = render(
      <DocsPanel mode="session" activeStep={null} litSteps={[]} />,
    );
    await shown(container, "02-sessions.md");
    rerender(<DocsPanel mode="jwt" activeStep={null} litSteps={[]} />);
    await shown(container, "03-jwt.md");
  });

  it.each(["session", "jwt"] as const)(
    "has a section for every workflow step of %s mode in that mode's chapter",
    async (mode: AuthMode) => {
      const { container } = render(<DocsPanel mode={mode} activeStep={null} litSteps={[]} />);
      const docs = await shown(container, chapterForMode[mode]);
      const tagged = [...docs.querySelectorAll<HTMLElement>("section[data-steps]")].flatMap(
        (section) => (section.dataset.steps ?? "").split(" "),
      );
      expect(new Set(tagged)).toEqual(new Set(workflowSteps[mode].map((step) => step.id)));
    },
  );

  it.each(["session", "jwt"] as const)(
    "quotes code in the section of every workflow step of %s mode",
    async (mode: AuthMode) => {
      const { container } = render(<DocsPanel mode={mode} activeStep={null} litSteps={[]} />);
      const docs = await shown(container, chapterForMode[mode]);
      const sections = [...docs.querySelectorAll<HTMLElement>("section[data-steps]")];
      const withoutCode = workflowSteps[mode]
        .map((step) => step.id)
        .filter(
          (step) =>
            !sections.some(
              (section) =>
                (section.dataset.steps ?? "").split(" ").includes(step) &&
                section.querySelector("pre.docs-code"),
            ),
        );
      expect(withoutCode).toEqual([]);
    },
  );

  it("marks the lit step's section, and only that one", async () => {
    const { container } = render(
      <DocsPanel
        mode="session"
        activeStep="lookup_session"
        litSteps={["post_credentials", "verify_password", "lookup_session"]}
      />,
    );
    await shown(container, "02-sessions.md");
    const marked = container.querySelectorAll('[aria-current="step"]');
    expect(marked).toHaveLength(1);
    const section = marked[0] as HTMLElement;
    expect(section.classList.contains("docs-step-active")).toBe(true);
    expect(section.dataset.steps?.split(" ")).toContain("lookup_session");
    expect(within(section).getByRole("heading").textContent).toBe("Look the session up");
    expect(within(section).getByText("The step you just did:")).toBeTruthy();
    const done = container.querySelectorAll(".docs-step-done");
    expect([...done].map((element) => (element as HTMLElement).dataset.steps)).toEqual([
      "post_credentials",
      "verify_password",
    ]);
    // Only the active section shows its badge; the others keep theirs hidden.
    const badges = [...container.querySelectorAll<HTMLElement>(".docs-step-badge")];
    expect(badges.filter((badge) => !badge.hidden)).toHaveLength(1);
  });

  it("stays on the chapter the reader chose while following the workflow", async () => {
    const { container, rerender } = render(
      <DocsPanel mode="jwt" activeStep={null} litSteps={[]} />,
    );
    expect(screen.getByRole("checkbox", { name: "Follow the workflow" })).toHaveProperty(
      "checked",
      true,
    );
    fireEvent.change(picker(), { target: { value: "05-security.md" } });
    await shown(container, "05-security.md");
    rerender(<DocsPanel mode="jwt" activeStep="verify_token" litSteps={["verify_token"]} />);
    rerender(<DocsPanel mode="jwt" activeStep="send_header" litSteps={["send_header"]} />);
    expect(container.querySelector(".docs-body")?.getAttribute("data-chapter")).toBe(
      "05-security.md",
    );
  });

  it("goes back to the mode's chapter, at the step, when a replay asks for it", async () => {
    const { container, rerender } = render(
      <DocsPanel mode="jwt" activeStep={null} litSteps={[]} />,
    );
    fireEvent.change(picker(), { target: { value: "05-security.md" } });
    await shown(container, "05-security.md");
    rerender(
      <DocsPanel
        mode="jwt"
        activeStep="verify_token"
        litSteps={["verify_token"]}
        showStepsRequest={1}
      />,
    );
    await shown(container, "03-jwt.md");
    expect(container.querySelector('[aria-current="step"]')?.getAttribute("data-steps")).toBe(
      "verify_token",
    );
  });

  it("opens a chosen chapter at its top, not at the last chapter's scroll position", async () => {
    const { container } = render(
      <DocsPanel mode="session" activeStep="lookup_session" litSteps={["lookup_session"]} />,
    );
    const body = await shown(container, "02-sessions.md");
    body.scrollTop = 900; // the reader scrolled down the session chapter
    fireEvent.change(picker(), { target: { value: "04-side-by-side.md" } });
    await shown(container, "04-side-by-side.md");
    expect(body.scrollTop).toBe(0);
  });

  it("stays on the picked chapter when following the workflow is off", async () => {
    const { container, rerender } = render(
      <DocsPanel mode="jwt" activeStep={null} litSteps={[]} />,
    );
    fireEvent.click(screen.getByRole("checkbox", { name: "Follow the workflow" }));
    fireEvent.change(picker(), { target: { value: "05-security.md" } });
    await shown(container, "05-security.md");
    rerender(<DocsPanel mode="jwt" activeStep="verify_token" litSteps={["verify_token"]} />);
    expect(container.querySelector(".docs-body")?.getAttribute("data-chapter")).toBe(
      "05-security.md",
    );
  });

  it("follows a link to another chapter inside the panel", async () => {
    const { container } = render(<DocsPanel mode="session" activeStep={null} litSteps={[]} />);
    const docs = await shown(container, "02-sessions.md");
    fireEvent.click(within(docs).getAllByRole("button", { name: "chapter 5" })[0] as HTMLElement);
    await shown(container, "05-security.md");
  });

  it("shows raw HTML from a chapter as text, and never makes a javascript: link", async () => {
    const hostile = renderChapter(
      '# Hostile\n\n<img src=x onerror="alert(1)">\n\n[click](javascript:alert(1)) <script>alert(2)</script>',
      { file: "02-sessions.md", chapterFiles: new Set(["02-sessions.md"]) },
    );
    const entry: ChapterEntry = {
      file: "02-sessions.md",
      title: hostile.title,
      load: async () => ({ html: hostile.html }),
    };
    const { container } = render(
      <DocsPanel mode="session" activeStep={null} litSteps={[]} chapters={[entry]} />,
    );
    const docs = await shown(container, "02-sessions.md");
    expect(container.querySelector("img, script")).toBeNull();
    expect(container.querySelector('a[href^="javascript"]')).toBeNull();
    expect(docs.textContent).toContain('<img src=x onerror="alert(1)">');
    expect(docs.textContent).toContain("<script>alert(2)</script>");
  });

  it("says so when a chapter cannot be loaded", async () => {
    const entry: ChapterEntry = {
      file: "02-sessions.md",
      title: "Sessions",
      load: () => Promise.reject(new Error("Failed to fetch dynamically imported module")),
    };
    render(<DocsPanel mode="session" activeStep={null} litSteps={[]} chapters={[entry]} />);
    expect((await screen.findByRole("alert")).textContent).toContain("could not be loaded");
  });
});
