import {
  type JwtDemoSettings,
  type JwtDemoSettingsResponse,
  type SessionDemoSettings,
  type SessionDemoSettingsResponse,
  sessionStoreKinds,
} from "@repo/contract";
import { arrayOf, boolean, number, object, oneOf, type Shape } from "../api/shapes";
import { type LabApi, LabStepFailed } from "./http";

// The demo settings each backend holds at run time (docs/api.md, "Demo settings"). A lab that
// changes one puts back what was in force before it ran, so a lab never leaves the server
// different from how the student found it; the Reset button goes back to the configured ones.

const jwtSettings: Shape<JwtDemoSettings> = object({
  accessTokenTtlSeconds: number,
  denylist: boolean,
  userCutoff: boolean,
});
export const jwtSettingsResponse: Shape<JwtDemoSettingsResponse> = object({
  mode: oneOf("jwt"),
  settings: jwtSettings,
  configured: jwtSettings,
});

const storeKind = oneOf(...sessionStoreKinds);
const sessionSettings: Shape<SessionDemoSettings> = object({ sessionStore: storeKind });
export const sessionSettingsResponse: Shape<SessionDemoSettingsResponse> = object({
  mode: oneOf("session"),
  settings: sessionSettings,
  configured: sessionSettings,
  choices: object({ sessionStore: arrayOf(storeKind) }),
});

async function read<T>(api: LabApi, shape: Shape<T>): Promise<T> {
  const answer = await api.send("GET", "/demo/settings", { actor: "lab" });
  if (!answer.ok || !shape(answer.body)) {
    throw new LabStepFailed(
      `reading the demo settings got ${answer.request.status || "no answer"} (is demo mode on?)`,
    );
  }
  return answer.body;
}

async function change<T>(api: LabApi, shape: Shape<T>, body: object): Promise<T> {
  const answer = await api.send("PATCH", "/demo/settings", { body, actor: "lab" });
  if (!answer.ok || !shape(answer.body)) {
    throw new LabStepFailed(`changing the demo settings got ${answer.request.status}`);
  }
  return answer.body;
}

export const readJwtSettings = (api: LabApi) => read(api, jwtSettingsResponse);
export const readSessionSettings = (api: LabApi) => read(api, sessionSettingsResponse);

/** Runs `body` with the JWT settings changed, then puts back the ones in force before. */
export async function withJwtSettings<T>(
  api: LabApi,
  wanted: Partial<JwtDemoSettings>,
  body: () => Promise<T>,
): Promise<T> {
  const before = (await readJwtSettings(api)).settings;
  await change(api, jwtSettingsResponse, wanted);
  try {
    return await body();
  } finally {
    const back = Object.fromEntries(
      Object.keys(wanted).map((key) => [key, before[key as keyof JwtDemoSettings]]),
    );
    await change(api, jwtSettingsResponse, back);
  }
}

/** Runs `body` with sessions kept in `store`, then switches back to the store in force before. */
export async function withSessionStore<T>(
  api: LabApi,
  store: SessionDemoSettings["sessionStore"],
  body: () => Promise<T>,
): Promise<T> {
  const before = (await readSessionSettings(api)).settings.sessionStore;
  if (before !== store) await change(api, sessionSettingsResponse, { sessionStore: store });
  try {
    return await body();
  } finally {
    if (before !== store) await change(api, sessionSettingsResponse, { sessionStore: before });
  }
}
