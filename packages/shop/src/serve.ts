import type { Server } from "node:http";
import type { Express } from "express";

/**
 * Listens, logs where, and shuts down cleanly on Ctrl-C or SIGTERM: stop accepting, let
 * requests in flight finish, then close the stores. Only `src/index.ts` of an app calls this.
 */
export function serve(
  app: Express,
  options: { name: string; port: number; host: string; onClose: () => Promise<void> },
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(options.port, options.host, (error?: Error) => {
      if (error) {
        reject(error);
        return;
      }
      console.log(`${options.name} listening on http://${options.host}:${options.port}`);
      resolve(server);
    });
    const shutdown = (signal: string) => {
      console.log(`${options.name}: ${signal}, shutting down`);
      server.close(() => {
        options.onClose().then(
          () => process.exit(0),
          (error: unknown) => {
            console.error(`${options.name}: error while closing stores`, error);
            process.exit(1);
          },
        );
      });
      server.closeAllConnections();
    };
    process.once("SIGINT", () => shutdown("SIGINT"));
    process.once("SIGTERM", () => shutdown("SIGTERM"));
  });
}
