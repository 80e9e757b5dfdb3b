import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  contentSecurityPolicy,
  defaultAttackerOrigins,
  inlineScriptHashes,
  metaPolicy,
  parseAttackerOrigins,
} from "./policy";

/** The policy as a map from directive to its sources. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split("; ").map((directive) => {
      const [name = "", ...sources] = directive.split(" ");
      return [name, sources];
    }),
  );
}

describe("the Content-Security-Policy", () => {
  it("runs no inline script and no eval, only the app's own files", () => {
    const policy = directives(contentSecurityPolicy({ attackerOrigins: [] }));
    expect(policy.get("script-src")).toEqual(["'self'"]);
    expect(policy.get("style-src")).toEqual(["'self'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'none'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("frame-src")).toEqual(["'none'"]);
    expect(policy.get("connect-src")).toEqual(["'self'"]);
  });

  it("lets the labs frame and reach the attacker origins, and nothing else of theirs", () => {
    const policy = directives(contentSecurityPolicy({ attackerOrigins: defaultAttackerOrigins }));
    for (const directive of ["frame-src", "connect-src", "img-src"]) {
      expect(policy.get(directive)).toEqual(expect.arrayContaining(defaultAttackerOrigins));
    }
    expect(policy.get("script-src")).toEqual(["'self'"]);
    expect(policy.get("form-action")).toEqual(["'self'"]);
  });

  it("lets the dev server run its preamble by hash and open its socket, never 'unsafe-inline' scripts", () => {
    const policy = directives(
      contentSecurityPolicy({
        attackerOrigins: [],
        dev: { inlineScriptHashes: ["'sha256-abc='"], socketOrigin: "ws://127.0.0.1:5173" },
      }),
    );
    expect(policy.get("script-src")).toEqual(["'self'", "'sha256-abc='"]);
    expect(policy.get("connect-src")).toEqual(["'self'", "ws://127.0.0.1:5173"]);
    expect(policy.get("style-src")).toContain("'unsafe-inline'");
  });

  it("hashes each inline script's exact text, and skips scripts loaded from a file", () => {
    const body = "import x from '/y';\nx();";
    const html = `<head><script type="module">${body}</script><script src="/a.js"></script></head>`;
    const expected = createHash("sha256").update(body).digest("base64");
    expect(inlineScriptHashes(html)).toEqual([`'sha256-${expected}'`]);
  });

  it("drops frame-ancestors from the meta tag's copy, which browsers ignore there", () => {
    const policy = contentSecurityPolicy({ attackerOrigins: [] });
    expect(metaPolicy(policy)).not.toContain("frame-ancestors");
    expect(metaPolicy(policy)).toContain("script-src 'self'");
  });
});

describe("ATTACKER_ORIGINS", () => {
  it("defaults to the labs' two origins, and none means none", () => {
    expect(parseAttackerOrigins(undefined)).toEqual(defaultAttackerOrigins);
    expect(parseAttackerOrigins("none")).toEqual([]);
    expect(parseAttackerOrigins("")).toEqual([]);
    expect(parseAttackerOrigins("http://localhost:6000, https://evil.example")).toEqual([
      "http://localhost:6000",
      "https://evil.example",
    ]);
  });

  it("refuses what is not an origin, naming the setting", () => {
    for (const bad of [
      "localhost:5174",
      "http://localhost:5174/path",
      "javascript:alert(1)",
      "*",
    ]) {
      expect(() => parseAttackerOrigins(bad)).toThrow(/ATTACKER_ORIGINS/);
    }
  });
});
