// Sends the Content-Security-Policy of ./policy.ts with every page the app serves:
// - `vite preview` (how the production build is served here and in the browser tests): the
//   strict policy, as a response header;
// - the production build itself: the same policy in a `<meta http-equiv>` tag too, so a static
//   host that forwards no header still enforces it (all but `frame-ancestors`, which only a
//   header can carry: a real host should send the header as well);
// - the dev server (`npm start`): the same policy, except that it allows the one inline script
//   Vite writes (React's fast-refresh preamble) by its hash, the <style> elements it injects for
//   each CSS module, and its hot-reload socket. Never 'unsafe-inline' for scripts. (In dev the
//   browser also loads zod through the contract's index, whose feature test for `new Function`
//   is refused and reported, harmlessly: it falls back. The build ships no zod.)
import type { Plugin, ViteDevServer } from "vite";
import { contentSecurityPolicy, inlineScriptHashes, metaPolicy } from "./policy.ts";

export const cspHeaderName = "Content-Security-Policy";

/** The dev server's policy, from the inline scripts its plugins write into a page. */
async function devPolicy(server: ViteDevServer, attackerOrigins: readonly string[]) {
  const page = await server.transformIndexHtml("/", "<html><head></head><body></body></html>");
  const { host, port } = server.config.server;
  const socketHost = typeof host === "string" ? host : "127.0.0.1";
  return contentSecurityPolicy({
    attackerOrigins,
    dev: {
      inlineScriptHashes: inlineScriptHashes(page),
      socketOrigin: `ws://${socketHost}:${port}`,
    },
  });
}

export function contentSecurityPolicyPlugin({
  attackerOrigins,
}: {
  attackerOrigins: readonly string[];
}): Plugin {
  const strict = contentSecurityPolicy({ attackerOrigins });
  let devHashes: string[] | undefined;
  return {
    name: "web:content-security-policy",
    configurePreviewServer(server) {
      server.middlewares.use((_req, res, next) => {
        res.setHeader(cspHeaderName, strict);
        next();
      });
    },
    configureServer(server) {
      let policy: Promise<string> | undefined;
      server.middlewares.use((_req, res, next) => {
        policy ??= devPolicy(server, attackerOrigins);
        policy.then((value) => {
          res.setHeader(cspHeaderName, value);
          devHashes = value.match(/'sha256-[^']+'/g) ?? [];
          next();
        }, next);
      });
    },
    transformIndexHtml: {
      order: "post",
      handler(html, context) {
        if (context.server) {
          // A page whose inline script the policy does not list would be blank: say why at once.
          const missing = inlineScriptHashes(html).filter((hash) => !devHashes?.includes(hash));
          if (devHashes && missing.length > 0) {
            context.server.config.logger.warn(
              `The dev server's page has an inline script its Content-Security-Policy does not list (${missing.join(", ")}): restart the dev server.`,
            );
          }
          return html;
        }
        // Right after the charset (which must come first), before any script it governs.
        const meta = `<meta http-equiv="${cspHeaderName}" content="${metaPolicy(strict)}" />`;
        const charset = /<meta charset="[^"]*"\s*\/?>/i;
        if (!charset.test(html)) throw new Error("index.html lost its <meta charset>");
        return html.replace(charset, (tag) => `${tag}\n    ${meta}`);
      },
    },
  };
}
