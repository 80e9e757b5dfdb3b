// The attacker site of the CSRF and XSS labs (docs/api.md, "The attacker site"): another origin
// on a second port, started by `npm start` beside the shop. `http://localhost:5174` is another
// *site* than the shop at `http://127.0.0.1:5173`; `http://127.0.0.1:5174` is the same site on
// another port. It is what a stranger's page can do, so it holds no secret and trusts nothing.
import { isIP } from "node:net";
import express, { type Express } from "express";
import type { AttackerConfig } from "./config";
import { forgePage, forgeScript } from "./forge-page";
import { neighbourRoutes } from "./neighbour";
import { Recorder, recorderRoutes } from "./recorder";

/** What the app is built from; `index.ts` passes the config, tests their own recorder too. */
export interface AppDeps {
  config: Pick<AttackerConfig, "labOrigin">;
  recorder?: Recorder;
}

/** The attacker site: the forging page, the recorder, and the neighbour that reads cookies. */
export function createApp(deps: AppDeps): Express {
  const { labOrigin } = deps.config;
  const app = express();

  // Settings and headers every answer gets.
  app.disable("x-powered-by");
  // DNS rebinding: a page at http://evil.example:5174 whose name is then pointed at 127.0.0.1
  // would be same-origin with whatever it reaches, and could read /records, which holds the
  // cookies the neighbour recorded. This site listens on 127.0.0.1 only, so a browser that
  // really means it addresses it by a loopback name or an address.
  app.use((req, res, next) => {
    if (req.hostname === undefined || isLoopbackName(req.hostname)) return next();
    res.status(400).type("text/plain").send("Refused.");
  });
  app.use((_req, res, next) => {
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer");
    next();
  });

  // Routes.
  app.get("/", (_req, res) => {
    res.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    res.type("html").send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Attacker site</title></head>
<body><h1>Attacker site (labs only)</h1>
<p>The shop's Labs page opens <code>/forge?mode=session&amp;via=fetch&amp;run=1</code> here
(modes: session, jwt; via: form, fetch, fetch-json, empty) and reads what an injected script sent
to <code>/record</code> from <code>/records</code>.</p></body></html>
`);
  });
  app.get("/forge", forgePage(labOrigin));
  app.get("/forge.js", (_req, res) => {
    res.set("Cache-Control", "no-store");
    res.type("text/javascript").send(forgeScript);
  });
  const recorder = deps.recorder ?? new Recorder();
  app.use(recorderRoutes(recorder, labOrigin));
  app.use(neighbourRoutes(recorder));

  // Anything else, and errors, as plain text: there is nothing to show.
  app.use((_req, res) => {
    res.status(404).type("text/plain").send("Not found.");
  });
  app.use(
    (error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      const status = (error as { status?: unknown }).status;
      const code = typeof status === "number" && status >= 400 && status < 500 ? status : 500;
      res
        .status(code)
        .type("text/plain")
        .send(code === 413 ? "Too large." : "Refused.");
    },
  );
  return app;
}

/** An IP address (nothing to rebind), `localhost` or a `*.localhost` name (RFC 6761 §6.3). */
function isLoopbackName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  return isIP(name) !== 0 || name === "localhost" || name.endsWith(".localhost");
}
