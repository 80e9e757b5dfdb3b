// Test support: a TCP proxy in front of Redis that a test can cut or stall, so an outage can be
// simulated without touching the shared Redis server.
import { createServer, connect as netConnect, type Socket } from "node:net";
import { listenOn } from "@repo/shop/testing";

export interface TcpProxy {
  url: string;
  /** Closes every connection and refuses new ones, like a Redis that went down. */
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

/** Starts a proxy on a free port of 127.0.0.1 that forwards to `targetUrl` (redis://host:port). */
export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
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
    const upstream = netConnect(Number(target.port || 6379), target.hostname);
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

  return {
    url: `redis://127.0.0.1:${port}`,
    cut,
    async restore() {
      if (!listening) {
        await listenOn(server, port);
        listening = true;
      }
    },
    stall() {
      stalled = true;
      for (const pair of pairs) hold(pair);
    },
    resume() {
      stalled = false;
      for (const pair of pairs) flow(pair);
    },
    close: cut,
  };
}
