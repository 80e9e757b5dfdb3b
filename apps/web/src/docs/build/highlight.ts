// Colours the docs' code at build time with highlight.js, for the languages the chapters use
// only; the browser gets the finished `<span class="tok-…">` markup and no highlighter.
import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import http from "highlight.js/lib/languages/http";
import json from "highlight.js/lib/languages/json";
import markdown from "highlight.js/lib/languages/markdown";
import plaintext from "highlight.js/lib/languages/plaintext";
import typescript from "highlight.js/lib/languages/typescript";

hljs.registerLanguage("typescript", typescript);
hljs.registerLanguage("json", json);
hljs.registerLanguage("bash", bash);
hljs.registerLanguage("http", http);
hljs.registerLanguage("markdown", markdown);
hljs.registerLanguage("plaintext", plaintext);
hljs.registerAliases(["ts", "tsx", "js", "jsx"], { languageName: "typescript" });
hljs.registerAliases(["sh", "shell"], { languageName: "bash" });
hljs.registerAliases(["md"], { languageName: "markdown" });
// Classes `tok-keyword`, `tok-string`...: the docs panel's own names, styled in docs.css.
hljs.configure({ classPrefix: "tok-" });

/** The code as HTML: coloured spans for a known language, otherwise just escaped text. */
export function highlightCode(code: string, language: string): string {
  const known = hljs.getLanguage(language.toLowerCase()) ? language.toLowerCase() : "plaintext";
  return hljs.highlight(code, { language: known, ignoreIllegals: true }).value;
}
