// The attacker's collection point for the XSS lab: whatever an injected script sends out lands
// here, in memory, and the lab page reads it back to show what left the browser.
import express, { type RequestHandler, Router } from "express";

/** One thing an injected script sent out. */
export interface Recording {
  id: number;
  at: string;
  /**
   * `POST /record` (fetch, sendBeacon, a form), `GET /record?data=` (an image's URL), or the
   * Cookie header of a request under the shop's paths (`neighbour.ts`).
   */
  via: "post" | "get" | "cookie";
  /** The page the script ran in, as the browser said it (absent without a browser). */
  origin: string | null;
  contentType: string | null;
  data: string;
}

/** Enough for a token, a cookie header and a page's storage; bigger sends are cut. */
export const maxRecordingChars = 4096;
/** The newest recordings kept; older ones are dropped. */
export const maxRecordings = 100;

/** The recordings, newest last, never more than `maxRecordings`. */
export class Recorder {
  private readonly recordings: Recording[] = [];
  private nextId = 1;

  add(entry: Omit<Recording, "id" | "at" | "data"> & { data: string }): Recording {
    const recording = {
      id: this.nextId++,
      at: new Date().toISOString(),
      ...entry,
      data: entry.data.slice(0, maxRecordingChars),
    };
    this.recordings.push(recording);
    if (this.recordings.length > maxRecordings) this.recordings.shift();
    return recording;
  }

  /** Newest first. */
  list(): Recording[] {
    return [...this.recordings].reverse();
  }

  clear(): void {
    this.recordings.length = 0;
  }
}

/**
 * `POST`/`GET /record` from any page (a real collector accepts from anywhere), and
 * `GET`/`DELETE /records` for the lab page alone: CORS lets only `labOrigin` read or clear them.
 */
export function recorderRoutes(recorder: Recorder, labOrigin: string): Router {
  const router = Router();
  const fromAnywhere: RequestHandler = (_req, res, next) => {
    res.set("Access-Control-Allow-Origin", "*");
    next();
  };
  const labOnly: RequestHandler = (_req, res, next) => {
    res.set("Access-Control-Allow-Origin", labOrigin);
    res.set("Vary", "Origin");
    next();
  };

  // Any body type a script can send without asking (text/plain, a form, a beacon) or with a
  // preflight (application/json), read as text.
  const anyText = express.text({ type: () => true, limit: "8kb" });
  router.options("/record", fromAnywhere, (_req, res) => {
    res.set("Access-Control-Allow-Methods", "POST, GET");
    res.set("Access-Control-Allow-Headers", "Content-Type");
    res.status(204).end();
  });
  router.post("/record", fromAnywhere, anyText, (req, res) => {
    const data = typeof req.body === "string" ? req.body : "";
    recorder.add({
      via: "post",
      origin: origin(req),
      contentType: req.get("content-type") ?? null,
      data,
    });
    res.status(204).end();
  });
  router.get("/record", fromAnywhere, (req, res) => {
    const data = typeof req.query.data === "string" ? req.query.data : "";
    recorder.add({ via: "get", origin: origin(req), contentType: null, data });
    res.status(204).end();
  });

  router.options("/records", labOnly, (_req, res) => {
    res.set("Access-Control-Allow-Methods", "GET, DELETE");
    res.status(204).end();
  });
  router.get("/records", labOnly, (_req, res) => {
    res.set("Cache-Control", "no-store");
    res.json({ records: recorder.list() });
  });
  router.delete("/records", labOnly, (_req, res) => {
    recorder.clear();
    res.status(204).end();
  });
  return router;
}

function origin(req: express.Request): string | null {
  return req.get("origin") ?? null;
}
