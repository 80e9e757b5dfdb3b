import { createApp } from "./app";
import { ConfigError, readConfig } from "./config";

// Startup: read the environment once, build the app, listen on loopback only.
let config: ReturnType<typeof readConfig>;
try {
  config = readConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`attacker cannot start: ${error.message}`);
  process.exit(1);
}

// 127.0.0.1 only: no other machine may reach a page built to attack. `localhost` reaches it too
// (browsers and Node try 127.0.0.1 when ::1 refuses).
const server = createApp({ config }).listen(config.port, config.host, (error?: Error) => {
  if (error) throw error;
  console.log(
    `attacker listening on http://localhost:${config.port} and http://${config.host}:${config.port}`,
  );
});
const shutdown = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
