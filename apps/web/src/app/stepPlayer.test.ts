import { afterEach, describe, expect, it, vi } from "vitest";
import type { ApiClient, ClientEvents, RequestRecord } from "../api/client";
import { alice, emptyCart } from "../api/fakeFetch";
import { ModeStore } from "./modeStore";
import { StepPlayer } from "./stepPlayer";

const never = () => new Promise<never>(() => undefined);
const timing = { liveStepMs: 400, replayStepMs: 1000 };

/** A session store whose login lights four steps, and a player over it. */
function loginSetup() {
  let events: Required<ClientEvents> | undefined;
  const exchange: RequestRecord = {
    id: 1,
    method: "POST",
    path: "/api/session/auth/login",
    status: 200,
    durationMs: 1,
    identity: { kind: "none", text: "" },
    trace: [
      { step: "verify_password", action: "password checked", outcome: "ok" },
      { step: "store_session", action: "session saved", outcome: "ok" },
      { step: "issue_cookie", action: "Set-Cookie: sid", outcome: "ok" },
    ],
  };
  const client: ApiClient = {
    restore: never,
    login: async () => {
      events?.onClientStep("post_credentials");
      events?.onExchange(exchange);
      return alice;
    },
    logout: never,
    products: never,
    cart: async () => emptyCart,
    addItem: never,
    setQuantity: never,
    removeItem: never,
    demoState: never,
    signup: never,
    changePassword: never,
    logoutEverywhere: never,
    admin: { users: never, updateUser: never, carts: never },
  };
  const store = new ModeStore("session", (given) => {
    events = given;
    return client;
  });
  return { store, player: new StepPlayer(store, timing) };
}

const litNow = (player: StepPlayer) => Object.keys(player.getView().steps);

afterEach(() => {
  vi.useRealTimers();
});

describe("step by step", () => {
  it("lights a login's steps one at a time, not all at once", async () => {
    vi.useFakeTimers();
    const { store, player } = loginSetup();
    await store.login("alice", "wonderland42");
    expect(litNow(player)).toEqual(["post_credentials"]);
    expect(player.getView()).toMatchObject({ position: 1, total: 4 });
    await vi.advanceTimersByTimeAsync(400);
    expect(litNow(player)).toEqual(["post_credentials", "verify_password"]);
    expect(player.getView().current?.step).toBe("verify_password");
    await vi.advanceTimersByTimeAsync(800);
    expect(litNow(player)).toHaveLength(4);
    expect(player.getView().current?.step).toBe("issue_cookie");
  });

  it("replays the latest action from the lights before it, then ends showing them all", async () => {
    vi.useFakeTimers();
    const { store, player } = loginSetup();
    await store.login("alice", "wonderland42");
    await vi.advanceTimersByTimeAsync(2000);
    player.replay();
    expect(player.getView()).toMatchObject({ replaying: true, position: 1 });
    expect(litNow(player)).toEqual(["post_credentials"]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(player.getView().current?.step).toBe("verify_password");
    player.step(1); // a click on "Next" holds the walk there
    await vi.advanceTimersByTimeAsync(5000);
    expect(player.getView()).toMatchObject({ paused: true, position: 3 });
    player.stop();
    expect(player.getView()).toMatchObject({ replaying: false, position: 4 });
    expect(litNow(player)).toHaveLength(4);
  });

  it("walks a refusal the action got past red, and ends with the lights the store shows", async () => {
    vi.useFakeTimers();
    let events: Required<ClientEvents> | undefined;
    const traced = (id: number, trace: RequestRecord["trace"], status: number): RequestRecord => ({
      id,
      method: "POST",
      path: "/api/jwt/cart/items",
      status,
      durationMs: 1,
      identity: { kind: "none", text: "" },
      trace,
    });
    const store = new ModeStore("jwt", (given) => {
      events = given as Required<ClientEvents>;
      return {
        ...({} as ApiClient),
        addItem: async () => {
          // An expired token, refused, then the retry after a refresh passes.
          events?.onExchange(
            traced(1, [{ step: "verify_token", action: "claims checked", outcome: "fail" }], 401),
          );
          events?.onExchange(
            traced(2, [{ step: "verify_token", action: "signature verified", outcome: "ok" }], 200),
          );
          return emptyCart;
        },
      };
    });
    const player = new StepPlayer(store, timing);
    await store.addItem("tea-mug");
    expect(player.getView().steps.verify_token).toBe("fail");
    await vi.advanceTimersByTimeAsync(400);
    expect(player.getView().steps).toEqual(store.getState().steps);
    expect(store.getState().steps.verify_token).toBe("ok");
  });

  it("puts every light out on reset, and points at nothing", async () => {
    const { store, player } = loginSetup();
    await store.login("alice", "wonderland42");
    store.resetLights();
    expect(player.getView()).toMatchObject({ steps: {}, current: null, position: 0, total: 0 });
  });
});
