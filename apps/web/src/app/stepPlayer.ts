import type { WorkflowStep } from "@repo/contract";
import {
  type LitStep,
  lightsAfter,
  type ModeState,
  type ModeStore,
  type StepStates,
} from "./modeStore";

/** How long each step stays the newest one: live, as an action happens, and in a replay. */
export interface PlayerTiming {
  liveStepMs: number;
  replayStepMs: number;
}

export const defaultTiming: PlayerTiming = { liveStepMs: 450, replayStepMs: 1800 };

/** What the workflow shows right now: the lights, and the step being pointed at. */
export interface PlayerView {
  steps: StepStates;
  /** The step just lit (aria-current, the docs section), or null before anything happened. */
  current: LitStep | null;
  /** 1-based position of `current` in the latest action's trail, and the trail's length. */
  position: number;
  total: number;
  /** Walking the trail again on request, rather than as it happened. */
  replaying: boolean;
  /** Whether the walk waits for "Next" instead of moving on by itself. */
  paused: boolean;
}

/**
 * Shows one mode's lit steps one at a time: live, a short beat per step as an action happens
 * ("step by step"), and on request a replay from the lights as they were before the action, slow
 * enough to read each step's code in the docs. It only changes what is shown, never the store.
 */
export class StepPlayer {
  private shown = 0;
  private actionId: number;
  private replaying = false;
  private paused = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private view: PlayerView;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly store: ModeStore,
    private readonly timing: PlayerTiming = defaultTiming,
  ) {
    const state = store.getState();
    // Lights restored from before a reload are shown as they were, not played again.
    this.actionId = state.actionId;
    this.shown = state.trail.length;
    this.view = this.makeView(state);
    store.subscribe(() => this.onStore());
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getView = (): PlayerView => this.view;

  /** Walks the latest action's steps again from the start, one every `replayStepMs`. */
  replay(): void {
    if (this.store.getState().trail.length === 0) return;
    this.replaying = true;
    this.paused = false;
    this.shown = 1;
    this.update(true);
  }

  /** One step on (or back), and the walk waits for the next click. */
  step(by: 1 | -1): void {
    const total = this.store.getState().trail.length;
    if (total === 0) return;
    this.replaying = true;
    this.paused = true;
    this.shown = Math.min(total, Math.max(1, this.shown + by));
    this.update(true);
  }

  /** Ends a replay: every light of the latest action shows again. */
  stop(): void {
    this.replaying = false;
    this.paused = false;
    this.shown = this.store.getState().trail.length;
    this.update(true);
  }

  private onStore(): void {
    const state = this.store.getState();
    const newAction = state.actionId !== this.actionId;
    if (newAction) {
      // A new action: its steps play from the first, whatever a replay was doing.
      this.actionId = state.actionId;
      // A fresh action starts with an empty trail; lights put back (a reload that found nobody)
      // show at once.
      this.shown = state.trail.length;
      this.replaying = false;
      this.paused = false;
    }
    this.update(newAction);
  }

  /** Re-reads the store; `restart` drops a pending beat (a new action, a click on the controls). */
  private update(restart = false): void {
    const state = this.store.getState();
    if (restart) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const total = state.trail.length;
    if (this.shown > total) this.shown = total;
    const delay = this.replaying ? this.timing.replayStepMs : this.timing.liveStepMs;
    if (!this.paused && this.shown < total && (delay <= 0 || this.shown === 0)) {
      // The first step of an action lights at once: the click is answered without delay.
      this.shown = delay <= 0 ? total : 1;
    }
    // A beat is pending until it fires: the store changes often (the demo state, a loading
    // flag), and each change must not push the next step further away.
    if (this.timer === undefined && !this.paused && total > 0) {
      if (this.shown < total) this.timer = setTimeout(() => this.advance(), delay);
      // The last step of a replay stays pointed at for a beat, then the replay ends.
      else if (this.replaying) this.timer = setTimeout(() => this.stop(), delay);
    }
    this.view = this.makeView(state);
    for (const listener of this.listeners) listener();
  }

  private advance(): void {
    this.timer = undefined;
    this.shown += 1;
    this.update();
  }

  private makeView(state: ModeState): PlayerView {
    const total = state.trail.length;
    const walking = this.shown < total || this.replaying;
    // Walking, the lights are those of the stops shown so far, by the store's own rule.
    const steps = walking
      ? lightsAfter(state.stepsBefore, state.trail.slice(0, this.shown))
      : state.steps;
    const current = walking ? (state.trail[this.shown - 1] ?? null) : lastLit(state);
    return {
      steps,
      current,
      position: walking ? this.shown : current ? total : 0,
      total,
      replaying: this.replaying,
      paused: this.paused,
    };
  }
}

/** The step an earlier action ended on, when the trail is empty (the lights before a reload). */
function lastLit(state: ModeState): LitStep | null {
  const last = state.trail.at(-1);
  if (last) return last;
  const step: WorkflowStep | null = state.lastStep;
  const outcome = step ? state.steps[step] : undefined;
  return step && outcome ? { step, outcome, notes: [] } : null;
}
