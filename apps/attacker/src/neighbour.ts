// The neighbour: a server on another port of the shop's host. Cookies ignore ports (RFC 6265,
// section 8.5): a cookie set by 127.0.0.1:5173 goes to every port of 127.0.0.1 whose path it
// matches, HttpOnly or not. So a request to this server under the shop's cookie paths carries
// the shop's cookies, and this route writes down the Cookie header it got. HttpOnly keeps a
// cookie from the page's scripts, never from another server on the same host; only another
// host name keeps it apart. The replay, tamper and expiry labs copy credentials this way.
import { apiPrefix } from "@repo/contract";
import { type Request, Router } from "express";
import type { Recorder } from "./recorder";

/** `GET /api/session/*` and `GET /api/jwt/*`: records the Cookie header that came along. */
export function neighbourRoutes(recorder: Recorder): Router {
  const router = Router();
  // #region neighbour
  router.get(
    [`${apiPrefix.session}{/*splat}`, `${apiPrefix.jwt}{/*splat}`],
    (req: Request, res) => {
      recorder.add({
        via: "cookie",
        origin: req.get("origin") ?? null,
        contentType: null,
        data: req.get("cookie") ?? "",
      });
      // Any page may ask (an image would do); nobody but the lab may read the recording.
      res.set("Cache-Control", "no-store");
      res.status(204).end();
    },
  );
  // #endregion
  return router;
}
