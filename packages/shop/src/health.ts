import type { AuthMode, HealthResponse } from "@repo/contract";
import type { ShopStore } from "@repo/store";
import type { RequestHandler } from "express";
import { storeUnavailable } from "./http-error";

/** How long `GET P/health` waits for a store: a load balancer's own check must not time out first. */
export const healthCheckTimeoutMs = 1000;

/** A cheap question to one store; it rejects, or never settles, when the store is down. */
export type HealthCheck = () => Promise<unknown>;

/**
 * `GET P/health`: 200 only while every store this process needs answers, asked in parallel and
 * each given `healthCheckTimeoutMs`; otherwise 503 `store_unavailable`, so whatever stands in
 * front (a load balancer, an orchestrator) can tell this instance cannot serve. The shop's own
 * store is asked for the catalogue, a small read every page makes anyway.
 */
export function healthRoute(options: {
  mode: AuthMode;
  store: ShopStore;
  storeNames: Record<string, string>;
  healthChecks?: Record<string, HealthCheck> | undefined;
}): RequestHandler {
  const checks: HealthCheck[] = [
    () => options.store.products.listProducts(),
    ...Object.values(options.healthChecks ?? {}),
  ];
  const askAll = async () => {
    const answers = await Promise.allSettled(checks.map((check) => withinHealthDeadline(check())));
    return answers.every((answer) => answer.status === "fulfilled");
  };
  // Requests that arrive while the stores are being asked share that answer, so a flood of
  // health checks (or a benchmark) costs the stores one question at a time.
  let asking: Promise<boolean> | undefined;
  return async (_req, res) => {
    asking ??= askAll().finally(() => {
      asking = undefined;
    });
    if (!(await asking)) throw storeUnavailable();
    const body: HealthResponse = { status: "ok", mode: options.mode, store: options.storeNames };
    res.json(body);
  };
}

function withinHealthDeadline(answer: Promise<unknown>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error("health check timed out")), healthCheckTimeoutMs);
  });
  return Promise.race([answer, deadline]).finally(() => clearTimeout(timer));
}
