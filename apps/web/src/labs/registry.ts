import { attackerPort } from "./attacker";
import type { Lab, LabContext, LabId, LabRow } from "./lab";
import { runAuthorization } from "./runs/authorization";
import { runCsrf } from "./runs/csrf";
import { runExpiry, runExpiryInMode } from "./runs/expiry";
import { runLostUpdates } from "./runs/lostUpdates";
import { runReplay, runReplayInMode } from "./runs/replay";
import { runRestart, runRestartInMode } from "./runs/restart";
import { runScaleOut, runScaleOutInMode } from "./runs/scaleOut";
import { runTamper } from "./runs/tamper";
import { runXss } from "./runs/xss";

// Every lab: the question it answers, where the code and the docs explain it, how to do it by
// hand, and the run that performs it against the real backends. The texts say what the lab
// does; the verdicts are computed by the runs from the answers they get.

const S = "http://127.0.0.1:5173/api/session";
const J = "http://127.0.0.1:5173/api/jwt";
const json = "-H 'Content-Type: application/json'";
const origin = "-H 'Origin: http://127.0.0.1:5173'";
const attackerNeeded = `The attacker site (apps/attacker, port ${attackerPort}), which npm start starts.`;

export const labs: readonly Lab[] = [
  {
    id: "replay",
    title: "Replay after logout",
    question:
      "What happens to a stolen credential after its owner logs out? The lab logs alice in, copies her credential, logs her out and sends the copy again. A session cookie is HttpOnly, so this page cannot copy it; the lab copies it the way any server on this host can, since cookies ignore ports: a request to the attacker site on another port of 127.0.0.1 carries it, and the attacker records it.",
    code: [
      { path: "apps/session-api/src/auth.ts", region: "logout" },
      { path: "apps/jwt-api/src/auth.ts", region: "logout-access-token" },
      { path: "apps/jwt-api/src/auth.ts", region: "denylist-check" },
    ],
    docsAnchor: "replay-after-logout",
    byHand: {
      steps: [
        "Log in, open the developer tools (Application, Cookies) and copy the sid value, or copy the token from the inspector.",
        "Log out in the shop, then replay the copy with curl.",
        "For the denylist, switch it on first (below) and do it again in JWT mode.",
      ],
      commands: `curl -i ${S}/cart -H 'Cookie: sid=<the copied value>'\ncurl -i ${J}/cart -H 'Authorization: Bearer <the copied token>'\ncurl -X PATCH ${J}/demo/settings ${json} ${origin} -d '{"denylist":true}'`,
    },
    needs: attackerNeeded,
    run: runReplay,
    runInMode: runReplayInMode,
  },
  {
    id: "xss",
    title: "What an injected script can do (XSS)",
    question:
      "If an XSS bug let a script run in this page, what could it take, and what could it do without taking anything? The lab runs such a script here: it reads document.cookie and localStorage, sends what it found to the attacker's recorder on another site, and calls the API from the page, where the browser attaches the cookies by itself. Each JWT row puts the token where one token setting keeps it.",
    code: [
      { path: "apps/session-api/src/cookie-options.ts", region: "cookie-options" },
      { path: "apps/web/src/api/tokenStore.ts", region: "store-token" },
      { path: "apps/jwt-api/src/refresh-token.ts", region: "refresh-cookie" },
    ],
    docsAnchor: "what-an-injected-script-can-do-xss",
    byHand: {
      steps: [
        "Log in, open the developer tools' console on this page, and paste the lines below: they are what an injected script would run.",
        "Compare what document.cookie shows with the cookies under Application, Cookies.",
      ],
      commands: `document.cookie\nlocalStorage.getItem("session-vs-jwt.accessToken")\nawait (await fetch("/api/session/auth/me")).json()\nawait (await fetch("/api/jwt/auth/refresh", { method: "POST" })).json()`,
    },
    needs: attackerNeeded,
    run: runXss,
  },
  {
    id: "tamper",
    title: "Tamper with the credential",
    question:
      "Can a user change their own credential to become someone else, or staff? The lab changes alice's token in each way people try (another sub, an added claim, alg none, one signature character, a re-signature with a guessed key) and her session cookie (one character of the id, a made-up id), sends each, and shows the step that refused it. This page cannot read or overwrite the HttpOnly cookie, so it sends the changed value in a cookie it sets for the cart's path only, which the browser sends first.",
    code: [
      { path: "apps/jwt-api/src/access-token.ts", region: "verify-header" },
      { path: "apps/jwt-api/src/access-token.ts", region: "verify-signature" },
      { path: "apps/session-api/src/session-trace.ts", region: "no-session-signature" },
    ],
    docsAnchor: "tamper-with-the-credential",
    byHand: {
      steps: [
        "Copy the token from the inspector and paste it into the editor below, change it, and send it; or decode it at the command line and send it with curl.",
        "For the cookie, copy sid from the developer tools, change one character, and send it with curl.",
      ],
      commands: `curl -i ${J}/cart -H 'Authorization: Bearer <the changed token>'\ncurl -i ${S}/cart -H 'Cookie: sid=<the changed value>'`,
    },
    needs: attackerNeeded,
    run: runTamper,
  },
  {
    id: "csrf",
    title: "A request from another site (CSRF)",
    question:
      "Can another site's page make this browser add to alice's cart? The attacker's page, framed from another site (localhost) and from the same site on another port (127.0.0.1), posts to the cart with whatever the browser attaches by itself. It cannot read the answer; the server's log of foreign requests says what arrived, which cookies came along and which check refused it.",
    code: [
      { path: "apps/session-api/src/cookie-options.ts", region: "cookie-options" },
      { path: "packages/shop/src/origin.ts", region: "origin-check" },
      { path: "apps/session-api/src/auth.ts", region: "csrf" },
    ],
    docsAnchor: "a-request-from-another-site-csrf",
    byHand: {
      steps: [
        `Log in, then open http://localhost:${attackerPort}/forge?mode=session&via=empty&run=1 in a new tab, and the same with 127.0.0.1 in place of localhost.`,
        "Read what arrived in the server's log of foreign requests.",
      ],
      commands: `curl -s ${S}/demo/foreign-requests`,
    },
    needs: attackerNeeded,
    run: runCsrf,
  },
  {
    id: "restart",
    title: "Restart the server",
    question:
      "What does a restart of the backend cost its users? For each session store this backend can switch to, the lab logs alice in, restarts the backend's state the way a process restart would (demo mode only), and asks again with the same cookie; then the same with a JWT.",
    code: [
      { path: "apps/session-api/src/switchable-session-store.ts", region: "switch-store" },
      { path: "apps/session-api/src/session-middleware.ts", region: "session-options" },
    ],
    docsAnchor: "restart-the-server",
    byHand: {
      steps: [
        "Stop the session backend, start it again with SESSION_STORE=memory, log in, restart it (Ctrl-C, npm start), and reload the shop.",
        "Or, without stopping anything:",
      ],
      commands: `curl -X PATCH ${S}/demo/settings ${json} ${origin} -d '{"sessionStore":"memory"}'\n# log in in the shop, then:\ncurl -X POST ${S}/demo/restart ${origin}`,
    },
    run: runRestart,
    runInMode: runRestartInMode,
  },
  {
    id: "expiry",
    title: "Expiry and refresh",
    question:
      "What happens when an access token expires, and when a spent refresh token comes back? The lab shortens the access token's lifetime to 5 seconds, waits for 401 token_expired, refreshes (the refresh token rotates), retries, and then replays the spent refresh token, copied the way the replay lab copies a cookie. It takes about 15 seconds.",
    code: [
      { path: "apps/jwt-api/src/access-token.ts", region: "expired" },
      { path: "apps/jwt-api/src/auth.ts", region: "refresh" },
      { path: "apps/jwt-api/src/auth.ts", region: "refresh-reuse" },
    ],
    docsAnchor: "expiry-and-refresh",
    byHand: {
      steps: [
        "Shorten the lifetime, log in in JWT mode, watch the countdown in the inspector and add to the cart after it ran out: the inspector shows the 401, the refresh and the retry.",
      ],
      commands: `curl -X PATCH ${J}/demo/settings ${json} ${origin} -d '{"accessTokenTtlSeconds":5}'\ncurl -i -X POST ${J}/auth/refresh -H 'Cookie: refresh_token=<a spent value>'`,
    },
    needs: attackerNeeded,
    run: runExpiry,
    runInMode: runExpiryInMode,
  },
  {
    id: "lost-updates",
    title: "Lost updates",
    question:
      'Fifty "add 1" requests at once: how many does the cart keep? In each mode the cart lives in the store, with one atomic write per add. Beside it, the mistake this design avoids, kept on purpose in demo mode: a cart inside the session, which express-session loads at the start of each request and saves whole at the end. That row keeps its sessions in a MemoryStore, which answers a moment later as Redis or PostgreSQL would; the SQLite store answers at once, so in one process the requests happen not to overlap.',
    code: [
      { path: "apps/session-api/src/session-middleware.ts", region: "session-data" },
      { path: "apps/session-api/src/session-cart.ts", region: "session-cart-push" },
    ],
    docsAnchor: "lost-updates",
    byHand: {
      steps: [
        "Log in with curl, keep the cookie jar and the CSRF token, and send the adds in parallel.",
      ],
      commands: `seq 50 | xargs -P 50 -I{} curl -s -o /dev/null -b jar -H "X-CSRF-Token: $TOKEN" ${json} -d '{"productId":"claw-hammer","quantity":1}' ${S}/demo/session-cart/items`,
    },
    run: runLostUpdates,
  },
  {
    id: "authorization",
    title: "Authorization: a role that changes",
    question:
      "sam (staff) makes bob staff, bob opens a staff route, then sam demotes him. What do bob's next requests get? Two people need two credentials: a JWT lab holds two tokens, but a browser holds one session cookie per site. Both backends share one store, so sam works through the JWT backend (his token in this page's memory) while bob holds the session cookie.",
    code: [
      { path: "packages/shop/src/require-role.ts", region: "require-role" },
      { path: "apps/jwt-api/src/auth.ts", region: "trust-claims" },
      { path: "apps/jwt-api/src/user-cutoff.ts", region: "cutoff-rule" },
    ],
    docsAnchor: "authorization-a-role-that-changes",
    byHand: {
      steps: [
        "Log in as sam in one browser (or a private window) and as bob in another, in the same mode.",
        "On sam's Staff page make bob staff; bob opens /staff; sam demotes him; bob reloads.",
        "For the cut-off, switch it on first.",
      ],
      commands: `curl -X PATCH ${J}/demo/settings ${json} ${origin} -d '{"userCutoff":true}'`,
    },
    run: runAuthorization,
  },
  {
    id: "scale-out",
    title: "Scale-out: several instances",
    question:
      "With two instances of each backend behind one port, does a login still hold? The lab sends a burst of requests at once and shows which instance answered each (X-Instance). It needs the cluster: stop npm start and run npm run start:cluster (with SESSION_STORE=memory to see sessions break, redis or postgres to see them hold).",
    code: [
      { path: "apps/session-api/src/session-middleware.ts", region: "session-options" },
      { path: "apps/jwt-api/src/auth.ts", region: "require-user" },
    ],
    docsAnchor: "scale-out-several-instances",
    byHand: {
      steps: [
        "Start the cluster, log in, and send requests in a loop: each answer names its instance.",
      ],
      commands: `for i in 1 2 3 4; do curl -s -o /dev/null -w '%{http_code} ' -D - ${S}/health | grep -i x-instance; done`,
    },
    needs: "npm run start:cluster in place of npm start.",
    run: runScaleOut,
    runInMode: runScaleOutInMode,
  },
];

/** The lab with this id. */
export function labById(id: LabId): Lab {
  const lab = labs.find((candidate) => candidate.id === id);
  if (!lab) throw new Error(`no lab ${id}`);
  return lab;
}

/**
 * Runs one lab against the real backends and returns its rows: what the Labs page shows, and
 * what another view (the Compare view) may show its own way.
 */
export function runLab(id: LabId, context: LabContext): Promise<LabRow[]> {
  return labById(id).run(context);
}
