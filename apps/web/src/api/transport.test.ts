import { describe, expect, it } from "vitest";
import type { RequestRecord } from "./client";
import { emptyCart, fakeFetch, json } from "./fakeFetch";
import { Transport } from "./transport";

describe("the transport", () => {
  it("reports which instance answered, from X-Instance, and nothing when it is absent", async () => {
    const records: RequestRecord[] = [];
    let answer = 0;
    const { fetch } = fakeFetch(() =>
      ++answer === 1 ? json(200, emptyCart, { "x-instance": "4002-a" }) : json(200, emptyCart),
    );
    const transport = new Transport("jwt", { fetch, onExchange: (r) => records.push(r) });
    const request = { method: "GET", path: "/cart", identity: { kind: "none", text: "" } } as const;
    await transport.send(request);
    await transport.send(request);
    expect(records.map((record) => record.instance)).toEqual(["4002-a", undefined]);
  });
});
