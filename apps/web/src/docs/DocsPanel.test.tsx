import { type AuthMode, workflowSteps } from "@repo/contract";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { chapterForMode, chapters, loadChapters } from "./chapters";
import { DocsPanel, resolveLink } from "./DocsPanel";
import type { Block } from "./markdown";

afterEach(cleanup);

function countCode(blocks: readonly Block[]): number {
  return blocks.reduce(
    (sum, block) =>
      sum + (block.kind === "code" ? 1 : block.kind === "details" ? countCode(block.children) : 0),
    0,
  );
}

const picker = () => screen.getByRole("combobox", { name: "Chapter" }) as HTMLSelectElement;
const body = (container: HTMLElement) => {
  const element = container.querySelector<HTMLElement>(".docs-body");
  if (!element) throw new Error("no docs body");
  return element;
};

describe("DocsPanel", () => {
  it("bundles the reading order and all six chapters", () => {
    expect(chapters.map((chapter) => chapter.file)).toEqual([
      "README.md",
      "01-why-http-forgets.md",
      "02-sessions.md",
      "03-jwt.md",
      "04-side-by-side.md",
      "05-security.md",
      "06-workshop.md",
    ]);
  });

  it.each(chapters.map((chapter) => [chapter.file, chapter] as const))(
    "renders %s with its title, code and no markdown syntax left over",
    (_file, chapter) => {
      const { container } = render(<DocsPanel mode="session" activeStep={null} litSteps={[]} />);
      fireEvent.change(picker(), { target: { value: chapter.file } });
      const docs = body(container);
      expect(docs.dataset.chapter).toBe(chapter.file);
      expect(within(docs).getAllByRole("heading")[0]?.textContent).toBe(chapter.title);
      // Outside code, no markdown syntax may be left: comments, links, emphasis, fences.
      const prose = docs.cloneNode(true) as HTMLElement;
      for (const code of prose.querySelectorAll("pre, code")) code.remove();
      const text = prose.textContent ?? "";
      expect(text).not.toContain("<!--");
      expect(text).not.toMatch(/\]\([^)]*\)/);
      expect(text).not.toContain("**");
      expect(text).not.toContain("```");
      expect(docs.querySelectorAll("pre.docs-code")).toHaveLength(countCode(chapter.blocks));
    },
  );

  it("opens the session chapter in session mode and the JWT chapter in JWT mode", () => {
    const { container, rerender } = render(
      <DocsPanel mode="session" activeStep={null} litSteps={[]} />,
    );
    expect(body(container).dataset.chapter).toBe("02-sessions.md");
    rerender(<DocsPanel mode="jwt" activeStep={null} litSteps={[]} />);
    expect(body(container).dataset.chapter).toBe("03-jwt.md");
  });

  it.each(["session", "jwt"] as const)(
    "has a section for every workflow step of %s mode in that mode's chapter",
    (mode: AuthMode) => {
      const chapter = chapters.find((candidate) => candidate.file === chapterForMode[mode]);
      const tagged = chapter?.blocks.flatMap((block) =>
        block.kind === "heading" ? block.steps : [],
      );
      expect(new Set(tagged)).toEqual(new Set(workflowSteps[mode].map((step) => step.id)));
    },
  );

  it("marks the lit step's section, and only that one", () => {
    const { container } = render(
      <DocsPanel
        mode="session"
        activeStep="lookup_session"
        litSteps={["post_credentials", "verify_password", "lookup_session"]}
      />,
    );
    const marked = container.querySelectorAll('[aria-current="step"]');
    expect(marked).toHaveLength(1);
    const section = marked[0] as HTMLElement;
    expect(section.classList.contains("docs-step-active")).toBe(true);
    expect(section.dataset.steps?.split(" ")).toContain("lookup_session");
    expect(within(section).getByRole("heading").textContent).toBe("Look the session up");
    const done = container.querySelectorAll(".docs-step-done");
    expect([...done].map((element) => (element as HTMLElement).dataset.steps)).toEqual([
      "post_credentials",
      "verify_password",
    ]);
  });

  it("goes back to the mode's chapter at the step when a new step lights up", () => {
    const { container, rerender } = render(
      <DocsPanel mode="jwt" activeStep={null} litSteps={[]} />,
    );
    fireEvent.change(picker(), { target: { value: "05-security.md" } });
    expect(body(container).dataset.chapter).toBe("05-security.md");
    rerender(<DocsPanel mode="jwt" activeStep="verify_token" litSteps={["verify_token"]} />);
    expect(body(container).dataset.chapter).toBe("03-jwt.md");
    expect(container.querySelector('[aria-current="step"]')?.getAttribute("data-steps")).toBe(
      "verify_token",
    );
  });

  it("stays on the picked chapter when following the workflow is off", () => {
    const { container, rerender } = render(
      <DocsPanel mode="jwt" activeStep={null} litSteps={[]} />,
    );
    fireEvent.click(screen.getByRole("checkbox", { name: "Follow the workflow" }));
    fireEvent.change(picker(), { target: { value: "05-security.md" } });
    rerender(<DocsPanel mode="jwt" activeStep="verify_token" litSteps={["verify_token"]} />);
    expect(body(container).dataset.chapter).toBe("05-security.md");
  });

  it("follows a link to another chapter inside the panel", () => {
    const { container } = render(<DocsPanel mode="session" activeStep={null} litSteps={[]} />);
    fireEvent.click(screen.getAllByRole("button", { name: "chapter 5" })[0] as HTMLElement);
    expect(body(container).dataset.chapter).toBe("05-security.md");
  });

  it("renders raw HTML as text and never makes a javascript: link", () => {
    const hostile = loadChapters({
      "../../../../docs/02-sessions.md":
        '# Hostile\n\n<img src=x onerror="alert(1)">\n\n[click](javascript:alert(1)) <script>alert(2)</script>',
    });
    const { container } = render(
      <DocsPanel mode="session" activeStep={null} litSteps={[]} chapters={hostile} />,
    );
    expect(container.querySelector("img, script")).toBeNull();
    expect(container.querySelector('a[href^="javascript"]')).toBeNull();
    expect(body(container).textContent).toContain('<img src=x onerror="alert(1)">');
  });
});

describe("resolveLink", () => {
  const files = new Set(["02-sessions.md", "04-side-by-side.md"]);
  it("tells chapters, headings, generated files, source files and the web apart", () => {
    expect(resolveLink("02-sessions.md#csrf", "01.md", files)).toEqual({
      kind: "chapter",
      file: "02-sessions.md",
      anchor: "csrf",
    });
    expect(resolveLink("#top", "01.md", files)).toEqual({
      kind: "chapter",
      file: "01.md",
      anchor: "top",
    });
    expect(resolveLink("generated/attack-table.md", "01.md", files)).toEqual({
      kind: "chapter",
      file: "04-side-by-side.md",
      anchor: "the-tested-attack-table",
    });
    expect(resolveLink("../apps/session-api/src/auth.ts#L42", "02.md", files)).toEqual({
      kind: "source",
      path: "apps/session-api/src/auth.ts:42",
    });
    expect(resolveLink("https://example.org", "02.md", files)).toEqual({
      kind: "external",
      href: "https://example.org",
    });
  });
});
