import type { Cart, Product, SessionDemoState } from "@repo/contract";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type ApiClient, ApiError, type ClientEvents, type RequestRecord } from "../api/client";
import { alice, emptyCart } from "../api/fakeFetch";
import { ModeStore } from "./modeStore";

/** A promise the test settles by hand, to make answers arrive in any order. */
function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const never = () => new Promise<never>(() => undefined);
const mug: Product = {
  id: "tea-mug",
  name: "Tea mug",
  description: "Holds tea.",
  priceCents: 1200,
};
const demoWith = (count: number): SessionDemoState => ({
  mode: "session",
  store: "memory",
  sessions: Array.from({ length: count }, (_, i) => ({
    id: `s${i}…`,
    userId: null,
    username: null,
    createdAt: null,
    expiresAt: null,
    absoluteExpiresAt: null,
    data: {},
  })),
  otherSessions: 0,
});
const record = (id: number): RequestRecord => ({
  id,
  method: "GET",
  path: "/api/session/cart",
  status: 200,
  durationMs: 1,
  identity: { kind: "none", text: "" },
  trace: [],
});

/** A ModeStore over a client made of the given calls; the rest never answer. */
function storeWith(calls: Partial<ApiClient>) {
  let events: Required<ClientEvents> | undefined;
  const client: ApiClient = {
    restore: never,
    login: never,
    logout: never,
    products: never,
    cart: never,
    addItem: never,
    setQuantity: never,
    removeItem: never,
    signup: never,
    changePassword: never,
    logoutEverywhere: never,
    admin: { users: never, updateUser: never, carts: never },
    demoState: never,
    ...calls,
  };
  const store = new ModeStore("session", (given) => {
    events = given;
    return client;
  });
  if (!events) throw new Error("no events");
  return { store, events };
}

// The lights are kept per tab (sessionStorage), so each test starts from none.
beforeEach(() => sessionStorage.clear());
afterEach(() => {
  vi.useRealTimers();
});

describe("ModeStore", () => {
  it("shares one cart load between callers that ask at the same time", async () => {
    const cart = vi.fn(async (): Promise<Cart> => emptyCart);
    const products = vi.fn(async () => [mug]);
    const { store } = storeWith({ cart, products });
    await Promise.all([
      store.loadCart(),
      store.loadCart(),
      store.loadProducts(),
      store.loadProducts(),
    ]);
    expect(cart).toHaveBeenCalledTimes(1);
    expect(products).toHaveBeenCalledTimes(1);
    await store.loadCart(); // a later visit asks again
    expect(cart).toHaveBeenCalledTimes(2);
  });

  it("keeps the products it had and shows the error when a reload fails", async () => {
    const answers = [
      async () => [mug],
      async () => {
        throw new ApiError(503, "store_unavailable", "down");
      },
    ];
    const { store } = storeWith({ products: () => (answers.shift() ?? never)() });
    await store.loadProducts();
    await store.loadProducts();
    expect(store.getState().products).toMatchObject({
      status: "error",
      error: { code: "store_unavailable" },
      data: [mug],
    });
  });

  it("ignores a cart answer that arrives after a newer cart change", async () => {
    const slowLoad = deferred<Cart>();
    const added: Cart = { ...emptyCart, itemCount: 1 };
    const { store } = storeWith({ cart: () => slowLoad.promise, addItem: async () => added });
    const load = store.loadCart();
    await store.addItem("tea-mug", 1);
    slowLoad.resolve(emptyCart);
    await load;
    expect(store.getState().cart).toEqual({ status: "ready", data: added });
  });

  it("ends the login on a 401 from any shop call", async () => {
    const { store } = storeWith({
      restore: async () => alice,
      cart: async () => emptyCart,
      products: async () => {
        throw new ApiError(401, "login_ended", "please log in again");
      },
    });
    await store.restore();
    await store.loadProducts();
    expect(store.getState()).toMatchObject({
      auth: "anonymous",
      user: null,
      notice: { code: "login_ended" },
    });
  });

  it("shows a bug as a generic message and logs the original to the console", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const bug = new TypeError("cannot read properties of undefined");
    const { store } = storeWith({
      restore: async () => {
        throw bug;
      },
    });
    await store.restore();
    expect(store.getState().notice?.message).not.toContain("TypeError");
    expect(store.getState().notice?.message).toMatch(/browser console/);
    expect(log).toHaveBeenCalledWith(bug);
  });

  it("keeps the newest demo state when two reads answer out of order", async () => {
    vi.useFakeTimers();
    const reads = [deferred<SessionDemoState>(), deferred<SessionDemoState>()];
    let next = 0;
    const { store, events } = storeWith({
      demoState: () => {
        const read = reads[next++];
        if (!read) throw new Error("one read too many");
        return read.promise;
      },
    });
    events.onExchange(record(1));
    await vi.advanceTimersByTimeAsync(100);
    events.onExchange(record(2));
    await vi.advanceTimersByTimeAsync(100);
    expect(next).toBe(2);
    reads[1]?.resolve(demoWith(2));
    await vi.advanceTimersByTimeAsync(0);
    reads[0]?.resolve(demoWith(1));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().demo).toEqual({ status: "ready", data: demoWith(2) });
  });

  it("stops asking for the demo state once the backend says it has none (404)", async () => {
    vi.useFakeTimers();
    const demoState = vi.fn(async (): Promise<SessionDemoState> => {
      throw new ApiError(404, "not_found", "no demo mode");
    });
    const { events } = storeWith({ demoState });
    events.onExchange(record(1));
    await vi.advanceTimersByTimeAsync(100);
    events.onExchange(record(2));
    await vi.advanceTimersByTimeAsync(100);
    expect(demoState).toHaveBeenCalledTimes(1);
  });
});

/** A store of `mode` whose client is driven by hand: the test plays the server's traces. */
function liveStore(mode: "session" | "jwt", calls: Partial<ApiClient> = {}) {
  let events: Required<ClientEvents> | undefined;
  const client: ApiClient = {
    restore: never,
    login: never,
    logout: never,
    products: never,
    cart: async () => emptyCart,
    addItem: never,
    setQuantity: never,
    removeItem: never,
    signup: never,
    changePassword: never,
    logoutEverywhere: never,
    admin: { users: never, updateUser: never, carts: never },
    demoState: never,
    ...calls,
  };
  const store = new ModeStore(mode, (given) => {
    events = given;
    return client;
  });
  if (!events) throw new Error("no events");
  const traced = (trace: RequestRecord["trace"], status = 200): RequestRecord => ({
    ...record(1),
    status,
    trace,
  });
  return { store, events: events as Required<ClientEvents>, traced };
}

describe("the workflow's lights", () => {
  it("keeps the server's info at JWT logout: the page's own clearing never paints it over", async () => {
    const { store, events, traced } = liveStore("jwt", {
      logout: async () => {
        events.onClientStep("send_header");
        events.onExchange(
          traced([
            { step: "clear_token", action: "refresh token family revoked", outcome: "ok" },
            {
              step: "clear_token",
              action: "access token still valid until exp: the client must drop it",
              outcome: "info",
            },
          ]),
        );
        events.onClientStep("clear_token");
      },
    });
    await store.logout();
    expect(store.getState().steps.clear_token).toBe("info");
    const last = store.getState().trail.at(-1);
    expect(last).toMatchObject({ step: "clear_token", outcome: "info" });
    expect(last?.notes.join(" ")).toContain("still valid until exp");
  });

  it("shows what the latest request said: a refusal the user got past does not stay red", async () => {
    const lookedUp = {
      step: "lookup_session",
      action: "session looked up",
      outcome: "ok",
    } as const;
    const refused = { step: "lookup_session", action: "role checked", outcome: "fail" } as const;
    const { store, events, traced } = liveStore("session", {
      restore: async () => {
        events.onExchange(traced([lookedUp]));
        return alice;
      },
      admin: {
        users: async () => {
          // One request: the session was found, then the role refused. Within it, the refusal wins.
          events.onExchange(traced([lookedUp, refused], 403));
          throw new ApiError(403, "forbidden", "Only staff may do this.");
        },
        updateUser: never,
        carts: never,
      },
      addItem: async () => {
        events.onExchange(traced([lookedUp]));
        return emptyCart;
      },
    });
    await store.restore();
    await store.attempt((client) => client.admin.users());
    expect(store.getState().steps.lookup_session).toBe("fail");
    await store.addItem("tea-mug");
    expect(store.getState().steps.lookup_session).toBe("ok");
  });

  it("lets a later request of the same action replace an earlier one's outcome, and keeps both on the trail", async () => {
    const verified = { step: "verify_token", action: "signature verified", outcome: "ok" } as const;
    const expired = { step: "verify_token", action: "claims checked", outcome: "fail" } as const;
    const rotated = {
      step: "return_token",
      action: "refresh token rotated",
      outcome: "ok",
    } as const;
    const { store, events, traced } = liveStore("jwt", {
      addItem: async () => {
        // An expired token: refused, refreshed, and the retry passes, all in one click.
        events.onClientStep("send_header");
        events.onExchange(traced([expired], 401));
        events.onExchange(traced([rotated]));
        events.onClientStep("store_token");
        events.onClientStep("send_header");
        events.onExchange(traced([verified]));
        return emptyCart;
      },
    });
    await store.addItem("tea-mug");
    expect(store.getState().steps.verify_token).toBe("ok");
    expect(store.getState().trail.map((lit) => `${lit.step} ${lit.outcome}`)).toEqual([
      "send_header ok",
      "verify_token fail",
      "return_token ok",
      "store_token ok",
      "send_header ok",
      "verify_token ok",
    ]);
  });

  it("says a note once when two requests light the same step of the page's own code", async () => {
    const { store, events } = liveStore("session", {
      addItem: async () => {
        events.onClientStep("send_cookie");
        events.onClientStep("send_cookie");
        return emptyCart;
      },
    });
    await store.addItem("tea-mug");
    expect(store.getState().trail).toEqual([
      { step: "send_cookie", outcome: "ok", notes: ["done by this page's own code"] },
    ]);
  });

  it("lights nothing on a first visit that finds nobody logged in", async () => {
    const { store, events, traced } = liveStore("session", {
      restore: async () => {
        events.onExchange(
          traced(
            [{ step: "send_cookie", action: "no sid cookie on the request", outcome: "fail" }],
            401,
          ),
        );
        return null;
      },
    });
    await store.restore();
    expect(store.getState()).toMatchObject({ steps: {}, lastStep: null, trail: [] });
    // The request itself is still in the log: nothing is hidden, only nothing was done.
    expect(store.getState().requests).toHaveLength(1);
  });

  it("keeps a login typed while the first visit's question is on its way apart from it", async () => {
    const question = deferred<null>();
    const { store, events, traced } = liveStore("jwt", {
      restore: async () => {
        const nobody = await question.promise;
        // The refresh cookie's check, refused: no cookie on a first visit.
        events.onExchange(
          traced([{ step: "return_token", action: "refresh token checked", outcome: "fail" }], 401),
        );
        return nobody;
      },
      login: async () => {
        events.onClientStep("post_credentials");
        return alice;
      },
    });
    const restoring = store.restore();
    const login = store.login("alice", "wonderland42");
    question.resolve(null); // nobody, said before the login answered
    await Promise.all([restoring, login]);
    expect(store.getState().steps).toEqual({ post_credentials: "ok" });
    expect(store.getState().auth).toBe("loggedIn");
  });

  it("records each action's steps in order, one stop per step, for step-by-step and replay", async () => {
    const { store, events, traced } = liveStore("session", {
      login: async () => {
        events.onClientStep("post_credentials");
        events.onExchange(
          traced([
            { step: "verify_password", action: "password checked", outcome: "ok" },
            { step: "store_session", action: "session id regenerated", outcome: "ok" },
            { step: "store_session", action: "session saved", outcome: "ok" },
            { step: "issue_cookie", action: "Set-Cookie: sid", outcome: "ok" },
          ]),
        );
        return alice;
      },
    });
    await store.login("alice", "wonderland42");
    expect(store.getState().trail.map((lit) => lit.step)).toEqual([
      "post_credentials",
      "verify_password",
      "store_session",
      "issue_cookie",
    ]);
    const before = store.getState().actionId;
    store.resetLights();
    expect(store.getState()).toMatchObject({ steps: {}, lastStep: null, trail: [] });
    expect(store.getState().actionId).toBeGreaterThan(before);
  });
});
