// Why the keys are KeyObjects: sign and verify speed of jsonwebtoken per form of key.
// Run: npm run bench -w apps/jwt-api
import { createSecretKey, generateKeyPairSync, randomBytes } from "node:crypto";
import jwt from "jsonwebtoken";

function opsPerSecond(run: () => void, ms = 400): number {
  const end = performance.now() + ms;
  let count = 0;
  while (performance.now() < end) {
    run();
    count++;
  }
  return Math.round((count * 1000) / ms);
}

const secret = randomBytes(32).toString("base64url");
const pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
const forms = {
  "HS256, KeyObject": {
    alg: "HS256",
    sign: createSecretKey(Buffer.from(secret)),
    verify: createSecretKey(Buffer.from(secret)),
  },
  "HS256, string": { alg: "HS256", sign: secret, verify: secret },
  "ES256, KeyObject": { alg: "ES256", sign: pair.privateKey, verify: pair.publicKey },
} as const;
const options = { expiresIn: 900, issuer: "i", audience: "a" };
for (const [name, form] of Object.entries(forms)) {
  const token = jwt.sign({ sub: "u" }, form.sign, { ...options, algorithm: form.alg });
  const signs = opsPerSecond(() =>
    jwt.sign({ sub: "u" }, form.sign, { ...options, algorithm: form.alg }),
  );
  const verifies = opsPerSecond(() =>
    jwt.verify(token, form.verify, { algorithms: [form.alg], issuer: "i", audience: "a" }),
  );
  console.log(
    `${name.padEnd(18)} sign ${String(signs).padStart(7)}/s  verify ${String(verifies).padStart(7)}/s`,
  );
}
