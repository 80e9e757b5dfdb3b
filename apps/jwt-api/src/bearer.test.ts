import { generateKeyPairSync, randomUUID } from "node:crypto";
import { decodeTrace } from "@repo/contract";
import jwt from "jsonwebtoken";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { accessTokenType, tokenAudience, tokenIssuer } from "./access-token";
import { bearer, craftToken, login, P, startTestApp, type TestApp } from "./testing";

/** Asserts the one answer every refused token gets: no library message, a Bearer challenge. */
async function expectRefused(
  t: TestApp,
  headers: Record<string, string>,
  code = "unauthenticated",
) {
  const res = await request(t.app).get(`${P}/cart`).set(headers);
  expect(res.status).toBe(401);
  expect(res.body.error.code).toBe(code);
  expect(res.body.error.message).not.toMatch(/jwt|signature|malformed|invalid algorithm/i);
  return res;
}

describe("a bearer token on HS256", () => {
  let t: TestApp;
  let userId: string;
  let secret: string;
  const claims = (overrides: Record<string, unknown> = {}) => {
    const iat = Math.floor(t.clock.now() / 1000);
    return {
      sub: userId,
      role: "customer",
      iss: tokenIssuer,
      aud: tokenAudience,
      iat,
      exp: iat + 900,
      jti: randomUUID(),
      cutoff_ms: 0,
      ...overrides,
    };
  };
  const header = { alg: "HS256", typ: accessTokenType };

  beforeAll(async () => {
    t = await startTestApp();
    secret = String(t.env.JWT_SECRET);
    userId = (await login(t.app)).user.id;
  });
  afterAll(async () => {
    await t.close();
  });

  it("is accepted when made the way the server makes them (the test's forge is faithful)", async () => {
    await request(t.app)
      .get(`${P}/cart`)
      .set(bearer(craftToken(header, claims(), secret)))
      .expect(200);
  });

  it.each(["none", "None", "NONE", "nOnE"])(
    "is refused with alg %s, signed or not",
    async (alg) => {
      const res = await expectRefused(
        t,
        bearer(craftToken({ alg, typ: accessTokenType }, claims())),
      );
      expect(res.headers["www-authenticate"]).toBe('Bearer error="invalid_token"');
      await expectRefused(t, bearer(craftToken({ alg, typ: accessTokenType }, claims(), secret)));
    },
  );

  it.each([
    ["kid", { kid: "../../dev/null" }],
    ["jku", { jku: "https://attacker.example/jwks.json" }],
    ["jwk", { jwk: { kty: "oct", k: "c2VjcmV0" } }],
    ["x5u", { x5u: "https://attacker.example/cert.pem" }],
  ])("is refused with a %s header, even with a valid signature", async (_name, extra) => {
    await expectRefused(t, bearer(craftToken({ ...header, ...extra }, claims(), secret)));
  });

  it("is refused without exp, even with a valid signature (jsonwebtoken alone would accept it)", async () => {
    const { exp: _exp, ...withoutExp } = claims();
    const token = craftToken(header, withoutExp, secret);
    expect(() => jwt.verify(token, secret, { algorithms: ["HS256"] })).not.toThrow();
    await expectRefused(t, bearer(token));
  });

  it.each([
    ["nbf in the future", { nbf: Math.floor(Date.now() / 1000) + 3600 }],
    ["the wrong iss", { iss: "https://someone-else.example" }],
    ["the wrong aud", { aud: "urn:another-api" }],
    ["no sub", { sub: undefined }],
    ["no jti", { jti: undefined }],
    ["no iat", { iat: undefined }],
    ["no role", { role: undefined }],
    ["a role we do not know", { role: "admin" }],
    ["no cutoff_ms", { cutoff_ms: undefined }],
    ["a cutoff_ms that is not a whole number", { cutoff_ms: "0" }],
  ])("is refused with %s", async (_name, overrides) => {
    await expectRefused(t, bearer(craftToken(header, claims(overrides), secret)));
  });

  it("is refused with another typ: a plain JWT signed with the same key is not an access token", async () => {
    await expectRefused(t, bearer(craftToken({ alg: "HS256", typ: "JWT" }, claims(), secret)));
    await expectRefused(t, bearer(craftToken({ alg: "HS256" }, claims(), secret)));
  });

  it("is refused when signed with another secret, or tampered with", async () => {
    await expectRefused(
      t,
      bearer(craftToken(header, claims(), "another secret of at least 32 bytes!!")),
    );
    const { accessToken } = await login(t.app);
    const [head, , signature] = accessToken.split(".");
    const forgedPayload = Buffer.from(JSON.stringify(claims({ sub: randomUUID() }))).toString(
      "base64url",
    );
    await expectRefused(t, bearer(`${head}.${forgedPayload}.${signature}`));
  });

  it.each([
    ["garbage", "not-a-token"],
    ["three dots of nothing", ".."],
    ["a header that is not JSON", "eyJub3QganNvbg.eyJzdWIiOiIxIn0.c2ln"],
  ])("is refused when it is %s", async (_name, token) => {
    await expectRefused(t, bearer(token));
  });

  it("is refused when it is a refresh token", async () => {
    const { refreshCookie } = await login(t.app);
    await expectRefused(t, bearer(refreshCookie.split("=")[1] ?? ""));
  });

  it("refuses two Authorization headers with 400 invalid_request, whichever comes first", async () => {
    const { accessToken } = await login(t.app);
    const other = (await login(t.app)).accessToken;
    // Node keeps only the first of two Authorization headers, so a proxy that reads the last one
    // would authorise another request than the one the app serves: refuse the ambiguity.
    for (const values of [
      [`Bearer ${accessToken}`, `Bearer ${other}`],
      [`Bearer ${accessToken}`, "Basic bWFsbG9yeTpwdw=="],
      ["Basic bWFsbG9yeTpwdw==", `Bearer ${accessToken}`],
    ]) {
      const res = await request(t.app).get(`${P}/cart`).set({ Authorization: values });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_request");
      expect(res.headers["www-authenticate"]).toBe('Bearer error="invalid_request"');
    }
    await request(t.app).get(`${P}/cart`).set(bearer(accessToken)).expect(200);
  });

  it("counts only in the Authorization header: not a query string, a cookie or a body", async () => {
    const { accessToken } = await login(t.app);
    for (const res of [
      await request(t.app).get(`${P}/cart?access_token=${accessToken}`),
      await request(t.app).get(`${P}/cart`).set("Cookie", `access_token=${accessToken}`),
      await request(t.app)
        .post(`${P}/cart/items`)
        .send({ access_token: accessToken, productId: "claw-hammer", quantity: 1 }),
      await request(t.app).get(`${P}/cart`).set("Authorization", `Basic ${accessToken}`),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("unauthenticated");
    }
  });

  it("gets token_expired once exp has passed (after the 5 s tolerance), and only then", async () => {
    const { accessToken } = await login(t.app);
    t.clock.advanceSeconds(900 + 4);
    await request(t.app).get(`${P}/cart`).set(bearer(accessToken)).expect(200);
    t.clock.advanceSeconds(2);
    const res = await expectRefused(t, bearer(accessToken), "token_expired");
    expect(res.headers["www-authenticate"]).toContain('error="invalid_token"');
    t.clock.advanceSeconds(-(900 + 6));
  });

  it("gets unauthenticated, not token_expired, when an expired token is also wrong elsewhere", async () => {
    const past = Math.floor(t.clock.now() / 1000) - 3600;
    const expired = (overrides: Record<string, unknown>) =>
      bearer(craftToken(header, claims({ iat: past, exp: past + 900, ...overrides }), secret));
    await expectRefused(t, expired({}), "token_expired");
    await expectRefused(t, expired({ aud: "urn:another-api" }));
    await expectRefused(t, expired({ iss: "https://someone-else.example" }));
    await expectRefused(t, expired({ nbf: Math.floor(t.clock.now() / 1000) + 3600 }));
    await expectRefused(
      t,
      bearer(
        craftToken(
          header,
          claims({ iat: past, exp: past + 900 }),
          "wrong key, long enough to be valid",
        ),
      ),
    );
  });

  it("verifies an expired token's signature once, not once more to tell why it failed", async () => {
    const { accessToken } = await login(t.app);
    t.clock.advanceSeconds(900 + 6);
    const verify = vi.spyOn(jwt, "verify");
    try {
      const res = await expectRefused(t, bearer(accessToken), "token_expired");
      expect(verify).toHaveBeenCalledTimes(1);
      expect(decodeTrace(res.headers["x-auth-trace"]).map((entry) => entry.action)).toEqual([
        "Authorization: Bearer header parsed",
        "algorithm checked",
        "signature verified",
        "claims checked",
      ]);
    } finally {
      verify.mockRestore();
      t.clock.advanceSeconds(-(900 + 6));
    }
  });
});

describe("a bearer token on ES256", () => {
  let t: TestApp;
  let publicKeyPem: string;
  let privateKeyPem: string;

  beforeAll(async () => {
    const pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
    privateKeyPem = pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    publicKeyPem = pair.publicKey.export({ type: "spki", format: "pem" }).toString();
    t = await startTestApp({
      env: { JWT_ALG: "ES256", JWT_PRIVATE_KEY: privateKeyPem, JWT_PUBLIC_KEY: publicKeyPem },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it("is signed with the private key and verifies with the public key alone", async () => {
    const { accessToken } = await login(t.app);
    expect(jwt.decode(accessToken, { complete: true })?.header.alg).toBe("ES256");
    expect(t.config.keys.verificationKey.type).toBe("public");
    expect(() =>
      jwt.verify(accessToken, t.config.keys.verificationKey, { algorithms: ["ES256"] }),
    ).not.toThrow();
    await request(t.app).get(`${P}/cart`).set(bearer(accessToken)).expect(200);
  });

  it("is refused as HS256 'signed' with the public key (the key confusion attack)", async () => {
    const { accessToken, user } = await login(t.app);
    const payload = jwt.decode(accessToken, { json: true }) ?? {};
    const forged = craftToken(
      { alg: "HS256", typ: accessTokenType },
      { ...payload, sub: user.id },
      publicKeyPem,
    );
    await expectRefused(t, bearer(forged));
  });
});
