import {
  type AuthMode,
  type Cart,
  type JwtDemoState,
  type Product,
  type SessionDemoState,
  type TraceOutcome,
  type User,
  type WorkflowStep,
  workflowSteps,
} from "@repo/contract";
import { type ApiClient, ApiError, type NewAccount, type RequestRecord } from "../api/client";

export type StepState = TraceOutcome;
export type StepStates = Partial<Record<WorkflowStep, StepState>>;

/** One step an action lit, in the order it happened, with what the server or client said. */
export interface LitStep {
  step: WorkflowStep;
  outcome: StepState;
  notes: string[];
  /**
   * Which request of this tab lit it (a count kept by the store); absent for a step of the page's
   * own code that no request has answered yet.
   */
  request?: number;
}

// Within one request the most telling outcome wins: a check that failed after others passed
// fails the step, and an `info` (the access token still valid after logout) is never painted
// over by an "ok" of the same step, the page's own included.
const outcomeRank: Record<StepState, number> = { ok: 1, info: 2, fail: 3 };

/** The outcome a step shows once `next` has happened after `previous`, in the same request. */
export function mergeOutcome(previous: StepState | undefined, next: StepState): StepState {
  return previous && outcomeRank[previous] > outcomeRank[next] ? previous : next;
}

/**
 * The lights once `trail` has happened after `before`. Each step shows what the latest request
 * said about it: its stops of one request merge (`mergeOutcome`), and a later request replaces
 * an earlier one's outcome. So a refusal the user got past (a 403 before a cart change, a token
 * that expired and was refreshed) does not stay red beside an answer that passed; the trail
 * still holds every stop, for a replay to show.
 */
export function lightsAfter(before: StepStates, trail: readonly LitStep[]): StepStates {
  const steps = { ...before };
  const litBy: Partial<Record<WorkflowStep, number>> = {};
  for (const { step, outcome, request } of trail) {
    const sameRequest = request !== undefined && litBy[step] === request;
    steps[step] = sameRequest ? mergeOutcome(steps[step], outcome) : outcome;
    if (request === undefined) delete litBy[step];
    else litBy[step] = request;
  }
  return steps;
}
export type Loadable<T> =
  | { status: "idle" }
  | { status: "loading"; data?: T }
  | { status: "ready"; data: T }
  | { status: "error"; error: ApiError; data?: T };

/** The data a loadable holds, whatever its status (a reload keeps showing the last answer). */
export function dataOf<T>(loadable: Loadable<T>): T | undefined {
  return "data" in loadable ? loadable.data : undefined;
}

/** What a call made through `ModeStore.attempt` came to: its answer, or the error to show. */
export type Attempt<T> = { data: T; error: null } | { data?: undefined; error: ApiError };

/** Everything one mode remembers; each mode has its own, so toggling never mixes them. */
export interface ModeState {
  auth: "unknown" | "restoring" | "anonymous" | "loggedIn";
  user: User | null;
  products: Loadable<Product[]>;
  cart: Loadable<Cart>;
  /** A message for the whole page: an ended login, a stopped backend. */
  notice: ApiError | null;
  /** Every step lit since the last login (or "reset lights"), as its latest request left it. */
  steps: StepStates;
  lastStep: WorkflowStep | null;
  /** The steps the latest action lit, in order: what step-by-step and replay walk through. */
  trail: LitStep[];
  /** The workflow as it stood before the latest action, where a replay starts from. */
  stepsBefore: StepStates;
  /** Counts actions (log in, add to cart, reload, log out), so a new one is told apart. */
  actionId: number;
  requests: RequestRecord[];
  demo: Loadable<SessionDemoState | JwtDemoState>;
}

/** The two lists the shop loads, each through the same helper. */
interface Loaded {
  products: Product[];
  cart: Cart;
}

const maxRequestsKept = 40;
const demoRefreshDelayMs = 60;

/** Answers and network failures arrive as ApiErrors; anything else is a bug in this app. */
function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  // A bug's message means nothing to a shopper: show a generic one and keep the details here.
  console.error(error);
  return new ApiError(
    0,
    "internal",
    "Something went wrong in this page. The details are in the browser console.",
  );
}

/** One mode's state and actions, outside React so both modes live side by side. */
export class ModeStore {
  private state: ModeState = {
    auth: "unknown",
    user: null,
    products: { status: "idle" },
    cart: { status: "idle" },
    notice: null,
    steps: {},
    lastStep: null,
    trail: [],
    stepsBefore: {},
    actionId: 0,
    requests: [],
    demo: { status: "idle" },
  };
  private readonly listeners = new Set<() => void>();
  /** Loads in flight, shared by callers that ask at the same time (a reload, StrictMode). */
  private productsLoad: Promise<ApiError | null> | null = null;
  private cartLoad: Promise<ApiError | null> | null = null;
  /** The first "who am I?" while it is on its way. */
  private question: Promise<void> | null = null;
  /** The latest call per list and for the demo state: older answers are ignored, not shown. */
  private readonly latest = { products: 0, cart: 0, demo: 0 };
  private demoTimer: ReturnType<typeof setTimeout> | undefined;
  /** Set by a 404 from the demo state: this backend is not in demo mode, so stop asking. */
  private demoOff = false;
  /** Counts the requests whose traces lit steps, so the stops of one request are told apart. */
  private requestsTraced = 0;
  readonly client: ApiClient;

  constructor(
    readonly mode: AuthMode,
    makeClient: (events: {
      onExchange: (record: RequestRecord) => void;
      onClientStep: (step: WorkflowStep) => void;
      onUser: (user: User) => void;
    }) => ApiClient,
  ) {
    this.client = makeClient({
      onExchange: (record) => this.recordExchange(record),
      onClientStep: (step) => this.light(step, "ok", "done by this page's own code"),
      onUser: (user) => this.heard(user),
    });
    this.loadSteps();
  }

  // The lit workflow survives a reload (per tab), so a reload continues the story it told.
  private get stepsKey(): string {
    return `session-vs-jwt.steps.${this.mode}`;
  }

  private loadSteps(): void {
    try {
      const saved = JSON.parse(globalThis.sessionStorage?.getItem(this.stepsKey) ?? "null") as Pick<
        ModeState,
        "steps" | "lastStep" | "trail" | "stepsBefore"
      > | null;
      if (saved && typeof saved.steps === "object") {
        const trail = Array.isArray(saved.trail) ? saved.trail : [];
        this.state = {
          ...this.state,
          steps: saved.steps ?? {},
          lastStep: saved.lastStep ?? null,
          trail,
          stepsBefore: saved.stepsBefore ?? {},
        };
        // Requests after the reload count on from the saved ones, never sharing a number.
        this.requestsTraced = Math.max(0, ...trail.map((lit) => lit.request ?? 0));
      }
    } catch {
      // A garbled entry is as good as none.
    }
  }

  private saveSteps(): void {
    const { steps, lastStep, trail, stepsBefore } = this.state;
    const saved = JSON.stringify({ steps, lastStep, trail, stepsBefore });
    globalThis.sessionStorage?.setItem(this.stepsKey, saved);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): ModeState => this.state;

  private set(patch: Partial<ModeState>): void {
    this.state = { ...this.state, ...patch };
    if ("steps" in patch || "trail" in patch) this.saveSteps();
    for (const listener of this.listeners) listener();
  }

  /** Asks the server who we are, once, the first time this mode is shown. */
  restore(): Promise<void> {
    if (this.state.auth !== "unknown") return this.question ?? Promise.resolve();
    this.question = this.ask().finally(() => {
      this.question = null;
    });
    return this.question;
  }

  private async ask(): Promise<void> {
    const before = this.beginAction();
    const action = this.state.actionId;
    this.set({ auth: "restoring" });
    try {
      const user = await this.client.restore();
      // A login or logout that answered meanwhile knows better than this older question.
      if (this.state.auth !== "restoring") return;
      this.set({ auth: user ? "loggedIn" : "anonymous", user });
      if (user) await this.fetchCart();
      // Finding nobody is the answer a first visit expects, not a step that failed: the
      // requests stay in the log, but the workflow stays as it was (nothing was clicked),
      // unless a newer action (a login typed meanwhile) has lit steps of its own since.
      else if (this.state.actionId === action) this.undoAction(before);
    } catch (error) {
      this.set({ auth: "anonymous", notice: asApiError(error) });
    }
  }

  /** Logs in; a failure is returned for the form to show, never thrown. */
  async login(username: string, password: string): Promise<ApiError | null> {
    // A login typed while the first "who am I?" is on its way waits for its answer, so that
    // question's steps (nobody, on a first visit) never mix with the login's.
    await this.question;
    this.set({ steps: {}, lastStep: null, notice: null });
    this.beginAction();
    try {
      const user = await this.client.login(username, password);
      this.set({ auth: "loggedIn", user });
      await this.fetchCart();
      return null;
    } catch (error) {
      return asApiError(error);
    }
  }

  async logout(): Promise<void> {
    this.beginAction();
    try {
      await this.client.logout();
      this.set({ notice: null });
    } catch (error) {
      this.set({ notice: asApiError(error) });
    }
    this.set({ auth: "anonymous", user: null, cart: { status: "idle" } });
  }

  loadProducts(): Promise<ApiError | null> {
    this.productsLoad ??= this.load("products", () => this.client.products()).finally(() => {
      this.productsLoad = null;
    });
    return this.productsLoad;
  }

  /** Loads the cart as a visit of the cart page: an action of its own in the workflow. */
  loadCart(): Promise<ApiError | null> {
    if (!this.cartLoad) this.beginAction();
    return this.fetchCart();
  }

  private fetchCart(): Promise<ApiError | null> {
    this.cartLoad ??= this.load("cart", () => this.client.cart()).finally(() => {
      this.cartLoad = null;
    });
    return this.cartLoad;
  }

  addItem = (productId: string, quantity = 1) =>
    this.act(() => this.load("cart", () => this.client.addItem(productId, quantity)));
  setQuantity = (productId: string, quantity: number) =>
    this.act(() => this.load("cart", () => this.client.setQuantity(productId, quantity)));
  removeItem = (productId: string) =>
    this.act(() => this.load("cart", () => this.client.removeItem(productId)));

  private act<T>(run: () => T): T {
    this.beginAction();
    return run();
  }

  /** Starts a new action: its steps are recorded in order, for step-by-step and replay. */
  private beginAction(): Pick<ModeState, "steps" | "lastStep" | "trail" | "stepsBefore"> {
    const { steps, lastStep, trail, stepsBefore } = this.state;
    this.set({ trail: [], stepsBefore: steps, actionId: this.state.actionId + 1 });
    return { steps, lastStep, trail, stepsBefore };
  }

  private undoAction(before: Pick<ModeState, "steps" | "lastStep" | "trail" | "stepsBefore">) {
    this.set({ ...before, actionId: this.state.actionId + 1 });
  }

  /** Puts every light out, for a fresh start in front of the room; the request log stays. */
  resetLights(): void {
    this.set({
      steps: {},
      lastStep: null,
      trail: [],
      stepsBefore: {},
      actionId: this.state.actionId + 1,
    });
  }

  /**
   * Runs one call for a list. An error keeps the data already shown and says what went wrong; a
   * 401 also means the login ended, so the UI forgets the user and says why. An answer that
   * arrives after a newer call for the same list started is ignored: it is no longer true.
   */
  private async load<K extends keyof Loaded>(
    key: K,
    call: () => Promise<Loaded[K]>,
  ): Promise<ApiError | null> {
    const started = ++this.latest[key];
    const isLatest = () => started === this.latest[key];
    const previous = dataOf(this.list(key));
    this.setList(key, previous ? { status: "loading", data: previous } : { status: "loading" });
    try {
      const data = await call();
      if (isLatest()) this.setList(key, { status: "ready", data });
      return null;
    } catch (raw) {
      const error = asApiError(raw);
      if (isLatest()) {
        this.setList(
          key,
          previous ? { status: "error", error, data: previous } : { status: "error", error },
        );
        if (error.status === 401) {
          this.set({ auth: "anonymous", user: null, cart: { status: "idle" }, notice: error });
        }
      }
      return error;
    }
  }

  // ModeState holds each list under its key; TypeScript cannot follow a generic key through it.
  private list<K extends keyof Loaded>(key: K): Loadable<Loaded[K]> {
    return this.state[key] as Loadable<Loaded[K]>;
  }

  private setList<K extends keyof Loaded>(key: K, value: Loadable<Loaded[K]>): void {
    this.set({ [key]: value } as Partial<ModeState>);
  }

  /**
   * Logs a request made elsewhere in the app (a lab) with this mode's own, for the inspector.
   * It lights no step: the workflow tells the story of what the shop itself did.
   */
  logRequest(record: RequestRecord): void {
    this.set({ requests: [record, ...this.state.requests].slice(0, maxRequestsKept) });
    this.refreshDemoSoon();
  }

  /** Asks the server again who is logged in: a lab logged this browser in and out meanwhile. */
  async recheck(): Promise<void> {
    if (this.state.auth === "restoring" || this.state.auth === "unknown") return;
    this.set({ auth: "unknown" });
    await this.restore();
  }

  /**
   * An answer named the user as the server knows them now: the remembered user follows, so the
   * top bar's links never trail a role changed since the login (before the login is settled,
   * `login` and `restore` set the user themselves).
   */
  private heard(user: User): void {
    const known = this.state.user;
    if (this.state.auth !== "loggedIn" || !known) return;
    const same =
      known.id === user.id &&
      known.username === user.username &&
      known.displayName === user.displayName &&
      known.role === user.role;
    if (!same) this.set({ user });
  }

  /**
   * Asks the session backend again who this is (`/auth/me`), after an answer showed the page's
   * idea of the role to be stale (the staff routes let a "customer" in, or refused "staff").
   * Session mode only: a JWT page acts on its token's role claim, which only a refresh changes,
   * while `/auth/me` would name the store's role, which the staff routes do not read.
   */
  async refreshUser(): Promise<void> {
    if (this.mode !== "session" || this.state.auth !== "loggedIn") return;
    const asked = await this.attempt((client) => client.restore());
    if (!asked.error && asked.data === null) {
      this.set({ auth: "anonymous", user: null, cart: { status: "idle" } });
    }
  }

  dismissNotice(): void {
    this.set({ notice: null });
  }

  /** Creates an account and is logged in as it, like a login; a failure is returned, not thrown. */
  async signup(account: NewAccount): Promise<ApiError | null> {
    this.set({ steps: {}, lastStep: null, notice: null });
    this.beginAction();
    try {
      const user = await this.client.signup(account);
      this.set({ auth: "loggedIn", user });
      await this.fetchCart();
      return null;
    } catch (error) {
      return asApiError(error);
    }
  }

  /** Changes the password; this mode stays logged in with the credential the server gave back. */
  async changePassword(currentPassword: string, newPassword: string): Promise<ApiError | null> {
    this.beginAction();
    const result = await this.attempt((client) =>
      client.changePassword(currentPassword, newPassword),
    );
    return result.error;
  }

  /** Ends every login of the user, this one too. */
  async logoutEverywhere(): Promise<ApiError | null> {
    this.beginAction();
    const result = await this.attempt((client) => client.logoutEverywhere());
    if (!result.error) this.set({ auth: "anonymous", user: null, cart: { status: "idle" } });
    return result.error;
  }

  /**
   * One call for a page that keeps its own data (the account and staff pages). As for the cart,
   * a 401 means the login ended, so the mode forgets the user and says why; a wrong password in
   * a form (`invalid_credentials`) is only the form's error.
   */
  async attempt<T>(call: (client: ApiClient) => Promise<T>): Promise<Attempt<T>> {
    try {
      return { data: await call(this.client), error: null };
    } catch (raw) {
      const error = asApiError(raw);
      if (error.status === 401 && error.code !== "invalid_credentials") {
        this.set({ auth: "anonymous", user: null, cart: { status: "idle" }, notice: error });
      }
      return { error };
    }
  }

  private light(step: WorkflowStep, outcome: StepState, note: string): void {
    this.set(this.lit(this.state, [{ step, outcome, note }]));
  }

  /**
   * The workflow after these steps of one request, or of the page's own code when `request` is
   * absent (other modes' steps are skipped). A step repeated back to back within a request is
   * one stop, and so is the page's own part of a step next to the server's (the header it is
   * about to send; the token it clears after the server's answer): merged by `mergeOutcome`, so
   * the page's "ok" never paints over what the server said.
   */
  private lit(
    state: ModeState,
    happened: readonly { step: WorkflowStep; outcome: StepState; note?: string }[],
    request?: number,
  ): Pick<ModeState, "steps" | "lastStep" | "trail"> {
    const trail = [...state.trail];
    let lastStep = state.lastStep;
    for (const { step, outcome, note } of happened) {
      if (!workflowSteps[this.mode].some((known) => known.id === step)) continue;
      const last = trail.at(-1);
      const notes = note ? [note] : [];
      const oneStop =
        last?.step === step &&
        (last.request === undefined || request === undefined || last.request === request);
      if (last && oneStop) {
        const merged: LitStep = {
          step,
          outcome: mergeOutcome(last.outcome, outcome),
          notes: [...last.notes, ...notes.filter((text) => !last.notes.includes(text))],
        };
        const by = request ?? last.request;
        trail[trail.length - 1] = by === undefined ? merged : { ...merged, request: by };
      } else
        trail.push(
          request === undefined ? { step, outcome, notes } : { step, outcome, notes, request },
        );
      lastStep = step;
    }
    return { steps: lightsAfter(state.stepsBefore, trail), lastStep, trail };
  }

  private recordExchange(record: RequestRecord): void {
    const happened = record.trace.map((entry) => ({
      step: entry.step,
      outcome: entry.outcome,
      note: entry.detail ? `${entry.action} (${entry.detail})` : entry.action,
    }));
    const request = happened.length > 0 ? ++this.requestsTraced : undefined;
    this.set({
      ...this.lit(this.state, happened, request),
      requests: [record, ...this.state.requests].slice(0, maxRequestsKept),
    });
    this.refreshDemoSoon();
  }

  /** Re-reads what the server keeps shortly after each request (batched, never logged). */
  private refreshDemoSoon(): void {
    if (this.demoOff) return;
    clearTimeout(this.demoTimer);
    this.demoTimer = setTimeout(() => void this.loadDemo(), demoRefreshDelayMs);
  }

  private async loadDemo(): Promise<void> {
    const call = ++this.latest.demo;
    try {
      const data = await this.client.demoState();
      if (call === this.latest.demo) this.set({ demo: { status: "ready", data } });
    } catch (raw) {
      const error = asApiError(raw);
      // 404: the backend runs without demo mode, and will not start it before a restart.
      if (error.status === 404) this.demoOff = true;
      if (call === this.latest.demo) this.set({ demo: { status: "error", error } });
    }
  }
}
