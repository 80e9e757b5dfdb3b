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
import { type ApiClient, ApiError, type RequestRecord } from "../api/client";

export type StepState = TraceOutcome;
export type Loadable<T> =
  | { status: "idle" }
  | { status: "loading"; data?: T }
  | { status: "ready"; data: T }
  | { status: "error"; error: ApiError; data?: T };

/** Everything one mode remembers; each mode has its own, so toggling never mixes them. */
export interface ModeState {
  auth: "unknown" | "restoring" | "anonymous" | "loggedIn";
  user: User | null;
  products: Loadable<Product[]>;
  cart: Loadable<Cart>;
  /** A message for the whole page: an ended login, a stopped backend. */
  notice: ApiError | null;
  steps: Partial<Record<WorkflowStep, StepState>>;
  lastStep: WorkflowStep | null;
  requests: RequestRecord[];
  demo: Loadable<SessionDemoState | JwtDemoState>;
  token: string | null;
}

const maxRequestsKept = 40;
const demoRefreshDelayMs = 60;

function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, "internal", String(error));
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
    requests: [],
    demo: { status: "idle" },
    token: null,
  };
  private readonly listeners = new Set<() => void>();
  private demoTimer: ReturnType<typeof setTimeout> | undefined;
  readonly client: ApiClient;

  constructor(
    readonly mode: AuthMode,
    makeClient: (events: {
      onExchange: (record: RequestRecord) => void;
      onClientStep: (step: WorkflowStep) => void;
    }) => ApiClient,
  ) {
    this.client = makeClient({
      onExchange: (record) => this.recordExchange(record),
      onClientStep: (step) => this.light(step, "ok"),
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
        "steps" | "lastStep"
      > | null;
      if (saved && typeof saved.steps === "object") {
        this.state = { ...this.state, steps: saved.steps ?? {}, lastStep: saved.lastStep ?? null };
      }
    } catch {
      // A garbled entry is as good as none.
    }
  }

  private saveSteps(): void {
    const { steps, lastStep } = this.state;
    globalThis.sessionStorage?.setItem(this.stepsKey, JSON.stringify({ steps, lastStep }));
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): ModeState => this.state;

  private set(patch: Partial<ModeState>): void {
    this.state = { ...this.state, ...patch, token: this.client.currentToken() };
    if ("steps" in patch || "lastStep" in patch) this.saveSteps();
    for (const listener of this.listeners) listener();
  }

  /** Asks the server who we are, once, the first time this mode is shown. */
  async restore(): Promise<void> {
    if (this.state.auth !== "unknown") return;
    this.set({ auth: "restoring" });
    try {
      const user = await this.client.restore();
      this.set({ auth: user ? "loggedIn" : "anonymous", user });
      if (user) await this.loadCart();
    } catch (error) {
      this.set({ auth: "anonymous", notice: asApiError(error) });
    }
    this.refreshDemoSoon();
  }

  /** Logs in; a failure is returned for the form to show, never thrown. */
  async login(username: string, password: string): Promise<ApiError | null> {
    this.set({ steps: {}, lastStep: null, notice: null });
    try {
      const user = await this.client.login(username, password);
      this.set({ auth: "loggedIn", user });
      await this.loadCart();
      return null;
    } catch (error) {
      return asApiError(error);
    }
  }

  async logout(): Promise<void> {
    try {
      await this.client.logout();
      this.set({ notice: null });
    } catch (error) {
      this.set({ notice: asApiError(error) });
    }
    this.set({ auth: "anonymous", user: null, cart: { status: "idle" } });
  }

  async loadProducts(): Promise<void> {
    const previous = "data" in this.state.products ? this.state.products.data : undefined;
    this.set({
      products: previous ? { status: "loading", data: previous } : { status: "loading" },
    });
    try {
      this.set({ products: { status: "ready", data: await this.client.products() } });
    } catch (error) {
      this.set({ products: { status: "error", error: asApiError(error) } });
    }
  }

  async loadCart(): Promise<void> {
    await this.cartAction(() => this.client.cart());
  }

  addItem = (productId: string, quantity = 1) =>
    this.cartAction(() => this.client.addItem(productId, quantity));
  setQuantity = (productId: string, quantity: number) =>
    this.cartAction(() => this.client.setQuantity(productId, quantity));
  removeItem = (productId: string) => this.cartAction(() => this.client.removeItem(productId));

  /** Runs a cart call; a 401 means the login ended, so the UI forgets the user and says why. */
  private async cartAction(call: () => Promise<Cart>): Promise<ApiError | null> {
    const previous = "data" in this.state.cart ? this.state.cart.data : undefined;
    this.set({ cart: previous ? { status: "loading", data: previous } : { status: "loading" } });
    try {
      this.set({ cart: { status: "ready", data: await call() } });
      return null;
    } catch (raw) {
      const error = asApiError(raw);
      if (error.status === 401) {
        this.set({ auth: "anonymous", user: null, cart: { status: "idle" }, notice: error });
      } else {
        this.set({
          cart: previous ? { status: "error", error, data: previous } : { status: "error", error },
        });
      }
      return error;
    }
  }

  dismissNotice(): void {
    this.set({ notice: null });
  }

  /** Called by the JWT storage setting, so the inspector re-reads where the token lives. */
  touch(): void {
    this.set({});
  }

  private light(step: WorkflowStep, outcome: StepState): void {
    if (!workflowSteps[this.mode].some((known) => known.id === step)) return;
    this.set({ steps: { ...this.state.steps, [step]: outcome }, lastStep: step });
  }

  private recordExchange(record: RequestRecord): void {
    const steps = { ...this.state.steps };
    let lastStep = this.state.lastStep;
    for (const entry of record.trace) {
      if (!workflowSteps[this.mode].some((known) => known.id === entry.step)) continue;
      // A failure stays visible until the next login starts a fresh run.
      if (steps[entry.step] !== "fail" || entry.outcome === "fail")
        steps[entry.step] = entry.outcome;
      lastStep = entry.step;
    }
    this.set({
      steps,
      lastStep,
      requests: [record, ...this.state.requests].slice(0, maxRequestsKept),
    });
    this.refreshDemoSoon();
  }

  /** Re-reads what the server keeps shortly after each request (batched, never logged). */
  refreshDemoSoon(): void {
    clearTimeout(this.demoTimer);
    this.demoTimer = setTimeout(() => void this.loadDemo(), demoRefreshDelayMs);
  }

  private async loadDemo(): Promise<void> {
    try {
      this.set({ demo: { status: "ready", data: await this.client.demoState() } });
    } catch (error) {
      this.set({ demo: { status: "error", error: asApiError(error) } });
    }
  }
}
