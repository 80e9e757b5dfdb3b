import cluster, { type Worker } from "node:cluster";

/** Which app to run, as how many instances. */
export interface ClusterOptions {
  /** The app's name: `session-api` names its instances `session-api-1`, `session-api-2`, … */
  name: string;
  /** The file each instance runs: the app's own `src/index.ts`, unchanged. */
  entry: string;
  instances: number;
}

/** A replacement that dies before it serves waits this long, doubled each time, up to 30 s. */
const firstRestartDelayMs = 1000;
const maxRestartDelayMs = 30 * 1000;
/** How long instances may take to finish their requests and close their stores at shutdown. */
const shutdownGraceMs = 10 * 1000;

/**
 * Runs several instances of an app with node's `cluster` module. This process, the primary,
 * serves no request: it holds the port the instances listen on and hands each new connection
 * to the next instance in turn (round-robin). Each instance is a whole process with its own
 * memory, so whatever an app keeps only in memory, another instance does not have.
 * An instance that dies is replaced under a new name. If none has ever served, the cause is a
 * setting or a store that is down, so the cluster stops instead of restarting in a loop.
 */
export function startCluster(options: ClusterOptions): void {
  // The default everywhere but Windows; set so the lesson is the same on every machine.
  cluster.schedulingPolicy = cluster.SCHED_RR;
  cluster.setupPrimary({ exec: options.entry });

  const live = new Map<Worker, string>();
  const serving = new Set<Worker>();
  let started = 0;
  let everServed = false;
  let restartDelayMs = firstRestartDelayMs;
  let stopping = false;
  let exitCode = 0;

  const log = (line: string) => console.log(`${options.name} cluster: ${line}`);

  const startInstance = () => {
    started += 1;
    const name = `${options.name}-${started}`;
    // INSTANCE_NAME reaches the instance's config, which sends it as X-Instance.
    const worker = cluster.fork({ INSTANCE_NAME: name });
    live.set(worker, name);
    worker.once("listening", () => {
      serving.add(worker);
      everServed = true;
      restartDelayMs = firstRestartDelayMs;
      log(`instance ${name} (pid ${worker.process.pid}) is serving`);
    });
  };

  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    if (live.size === 0) process.exit(exitCode);
    for (const worker of live.keys()) worker.process.kill("SIGTERM");
    setTimeout(() => {
      for (const worker of live.keys()) worker.process.kill("SIGKILL");
    }, shutdownGraceMs).unref();
  };

  cluster.on("exit", (worker, code, signal) => {
    const name = live.get(worker) ?? "?";
    const wasServing = serving.delete(worker);
    live.delete(worker);
    if (stopping) {
      if (live.size === 0) process.exit(exitCode);
      return;
    }
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    if (!everServed) {
      log(`instance ${name} ${how} before any instance served; stopping`);
      stop(1);
      return;
    }
    log(`instance ${name} ${how}; starting a replacement`);
    // A crash while serving is replaced at once; a replacement that died while starting waits
    // longer each time, so a store that is down is not hammered by restarts.
    const delayMs = wasServing ? 0 : restartDelayMs;
    if (!wasServing) restartDelayMs = Math.min(restartDelayMs * 2, maxRestartDelayMs);
    setTimeout(() => {
      if (!stopping) startInstance();
    }, delayMs);
  });

  // Ctrl-C reaches the instances too; SIGTERM from a supervisor reaches only this process.
  process.on("SIGINT", () => stop(0));
  process.on("SIGTERM", () => stop(0));

  for (let i = 0; i < options.instances; i++) startInstance();
}
