import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  contentSecurityPolicy,
  defaultAttackerOrigins,
  inlineScriptHashes,
  isProductionBuild,
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
  const demo = { production: false };
  const production = { production: true };

  it("defaults to the labs' two origins in a demo run, and none means none", () => {
    expect(parseAttackerOrigins(undefined, demo)).toEqual(defaultAttackerOrigins);
    expect(parseAttackerOrigins("none", demo)).toEqual([]);
    expect(parseAttackerOrigins("", demo)).toEqual([]);
    expect(parseAttackerOrigins("http://localhost:6000, https://evil.example", demo)).toEqual([
      "http://localhost:6000",
      "https://evil.example",
    ]);
  });

  it("defaults to none in a production build, whose policy then names no attacker at all", () => {
    const origins = parseAttackerOrigins(undefined, production);
    expect(origins).toEqual([]);
    const policy = directives(contentSecurityPolicy({ attackerOrigins: origins }));
    expect(policy.get("frame-src")).toEqual(["'none'"]);
    expect(policy.get("connect-src")).toEqual(["'self'"]);
    expect(policy.get("img-src")).toEqual(["'self'", "data:"]);
    const demoPolicy = contentSecurityPolicy({
      attackerOrigins: parseAttackerOrigins(undefined, demo),
    });
    for (const origin of defaultAttackerOrigins) expect(demoPolicy).toContain(origin);
  });

  it("still lets a production build opt in by naming the origins (a workshop, the browser tests)", () => {
    expect(parseAttackerOrigins("http://localhost:5174", production)).toEqual([
      "http://localhost:5174",
    ]);
  });

  it("counts as production vite's production mode (vite build, vite preview) or NODE_ENV=production", () => {
    expect(isProductionBuild("production", "production")).toBe(true);
    expect(isProductionBuild("production", "development")).toBe(true);
    expect(isProductionBuild("development", "production")).toBe(true);
    expect(isProductionBuild("development", "development")).toBe(false);
    expect(isProductionBuild("test", "test")).toBe(false);
    expect(isProductionBuild("development", undefined)).toBe(false);
  });

  it("refuses what is not an origin, naming the setting", () => {
    for (const bad of [
      "localhost:5174",
      "http://localhost:5174/path",
      "javascript:alert(1)",
      "*",
    ]) {
      expect(() => parseAttackerOrigins(bad, demo)).toThrow(/ATTACKER_ORIGINS/);
    }
  });
});
