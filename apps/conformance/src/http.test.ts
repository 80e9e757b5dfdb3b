import { describe, expect, it } from "vitest";
import { errorCode, type Reply } from "./http";

const reply = (status: number, body: unknown): Reply => ({ status, headers: new Headers(), body });

describe("errorCode", () => {
  it("reads the code of an error body in the contract's shape", () => {
    const body = { error: { code: "unauthenticated", message: "Log in first." } };
    expect(errorCode(reply(401, body))).toBe("unauthenticated");
  });

  it.each([
    ["a code the contract does not list", { error: { code: "not_allowed", message: "No." } }],
    ["no message", { error: { code: "csrf" } }],
    ["a code that is not a string", { error: { code: 403, message: "No." } }],
    ["an HTML page", "<!doctype html><title>Error</title>"],
    ["no body", ""],
  ])("gives undefined for an error reply with %s, so the row reads wrong", (_, body) => {
    expect(errorCode(reply(403, body))).toBeUndefined();
  });
});
