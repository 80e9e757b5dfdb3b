import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { Markdown } from "./Markdown";
import type { Block } from "./markdown";

afterEach(cleanup);

/** One paragraph with one link, resolved as external whatever its scheme. */
function renderExternal(href: string): HTMLElement {
  const blocks: Block[] = [
    {
      kind: "paragraph",
      children: [{ kind: "link", href, children: [{ kind: "text", text: "here" }] }],
    },
  ];
  render(
    <Markdown
      blocks={blocks}
      resolveLink={(target) => ({ kind: "external", href: target })}
      onNavigate={() => undefined}
      activeStep={null}
      litSteps={[]}
    />,
  );
  return screen.getByText("here");
}

describe("Markdown external links", () => {
  it("links http and https addresses, in a new tab without an opener", () => {
    const link = renderExternal("https://owasp.org/cheat-sheets");
    expect(link.tagName).toBe("A");
    expect(link.getAttribute("href")).toBe("https://owasp.org/cheat-sheets");
    expect(link.getAttribute("rel")).toBe("noopener noreferrer");
  });

  it.each([
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
  ])("renders %s as plain text, never as a link", (href) => {
    const text = renderExternal(href);
    expect(text.tagName).toBe("SPAN");
    expect(text.hasAttribute("href")).toBe(false);
    expect(document.querySelector("a")).toBeNull();
  });
});
