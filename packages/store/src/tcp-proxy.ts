// Test support: a TCP proxy in front of a server (Redis, PostgreSQL) that a test can cut or
// stall, so an outage can be simulated without touching the shared server.
import { createServer, connect as netConnect, type Server, type Socket } from "node:net";

export interface TcpProxy {
  /** The target's URL with the proxy's host and port: same scheme, user and database. */
  url: string;
  /** Closes every connection and refuses new ones, like a server that went down. */
  cut(): Promise<void>;
  /** Accepts connections again, on the same port. */
  restore(): Promise<void>;
  /** Keeps connections open but lets no byte through, like a network that went silent. */
  stall(): void;
  /** Lets the held bytes through again, in order. */
  resume(): void;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
}

const defaultPorts: Record<string, number> = {
  "redis:": 6379,
  "postgres:": 5432,
  "postgresql:": 5432,
};

/** Listens on 127.0.0.1, on `port` or else a free one; resolves with the port. */
export function listenOn(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

/** Starts a proxy on a free port of 127.0.0.1 that forwards to `targetUrl` (redis://, postgres://). */
export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const targetPort = Number(target.port || defaultPorts[target.protocol]);
  if (!targetPort) throw new Error(`no port in ${target.protocol} URL and no default for it`);
  const pairs = new Set<Pair>();
  let stalled = false;

  const flow = (pair: Pair) => {
    pair.client.pipe(pair.upstream);
    pair.upstream.pipe(pair.client);
  };
  const hold = (pair: Pair) => {
    pair.client.unpipe(pair.upstream);
    pair.upstream.unpipe(pair.client);
    pair.client.pause();
    pair.upstream.pause();
  };

  const server = createServer((client) => {
    const upstream = netConnect(targetPort, target.hostname);
    const pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    for (const socket of [client, upstream]) {
      socket.on("error", end);
      socket.on("close", end);
    }
    if (stalled) hold(pair);
    else flow(pair);
  });
  const port = await listenOn(server);
  let listening = true;

  const cut = async () => {
    if (listening) {
      listening = false;
      const closed = new Promise((resolve) => server.close(resolve));
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      await closed;
    }
  };

  const proxied = new URL(targetUrl);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(port);
  return {
    url: proxied.toString(),
    cut,
    async restore() {
      if (!listening) {
        await listenOn(server, port);
        listening = true;
      }
    },
    stall() {
      if (stalled) return;
      stalled = true;
      for (const pair of pairs) hold(pair);
    },
    // Only held pairs are piped again: a second pipe to one socket would send every byte twice.
    resume() {
      if (!stalled) return;
      stalled = false;
      for (const pair of pairs) flow(pair);
    },
    close: cut,
  };
}
