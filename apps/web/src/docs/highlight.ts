// Token colouring for the docs' code blocks: comments, strings, keywords, numbers. Small on
// purpose (the whole app has a 150 KB budget); it only has to make excerpts easy to scan.

export type TokenKind = "comment" | "string" | "keyword" | "number" | "plain";

export interface Token {
  kind: TokenKind;
  text: string;
}

const tsKeywords = new Set(
  (
    "as async await break case catch class const continue declare default delete do else export " +
    "extends false finally for from function if import in instanceof interface let new null of " +
    "return satisfies static super switch this throw true try type typeof undefined var void while"
  ).split(" "),
);
const jsonKeywords = new Set(["true", "false", "null"]);

const tsLike =
  /(\/\/[^\n]*|\/\*[\s\S]*?\*\/)|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)|\b(\d[\d_]*(?:\.\d+)?(?:e\d+)?)\b|([A-Za-z_$][\w$]*)/g;
const shellLike = /(^#[^\n]*|\s#[^\n]*)|("(?:[^"\\\n]|\\.)*"|'[^'\n]*')/gm;
const httpLike = /()()()(^[A-Za-z-]+(?=:))/gm;

/** Splits code into coloured tokens; languages it does not know come back as one plain token. */
export function highlight(code: string, language: string): Token[] {
  const lang = language.toLowerCase();
  if (["ts", "tsx", "js", "jsx", "typescript", "json"].includes(lang)) {
    return tokenize(code, tsLike, lang === "json" ? jsonKeywords : tsKeywords);
  }
  if (["sh", "bash", "shell"].includes(lang)) return tokenize(code, shellLike, new Set());
  if (lang === "http") return tokenize(code, httpLike, undefined);
  return [{ kind: "plain", text: code }];
}

function tokenize(code: string, pattern: RegExp, keywords: Set<string> | undefined): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  const push = (kind: TokenKind, text: string) => {
    if (!text) return;
    const previous = tokens[tokens.length - 1];
    if (previous && previous.kind === kind) previous.text += text;
    else tokens.push({ kind, text });
  };
  for (const match of code.matchAll(new RegExp(pattern.source, pattern.flags))) {
    const at = match.index ?? 0;
    if (match[0] === "") continue;
    push("plain", code.slice(last, at));
    const [text, comment, string, number, word] = match;
    if (comment) push("comment", text);
    else if (string) push("string", text);
    else if (number) push("number", text);
    else if (word && (keywords === undefined || keywords.has(word))) push("keyword", text);
    else push("plain", text);
    last = at + text.length;
  }
  push("plain", code.slice(last));
  return tokens;
}
