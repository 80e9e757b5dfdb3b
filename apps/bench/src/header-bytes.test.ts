import { describe, expect, it } from "vitest";
import { addedHeaders, headerLineBytes, requestHeaderBytes } from "./header-bytes";

describe("headerLineBytes", () => {
  it("counts a header as it travels: name, colon, space, value, CRLF", () => {
    expect(headerLineBytes("Cookie", "sid=abc")).toBe("Cookie: sid=abc\r\n".length);
  });

  it("counts bytes, not characters", () => {
    expect(headerLineBytes("X", "é")).toBe(7);
  });
});

describe("requestHeaderBytes", () => {
  it("names each header the usual way and counts its line", () => {
    expect(requestHeaderBytes({ cookie: "sid=abc", "x-csrf-token": "t0k" })).toEqual([
      { name: "Cookie", bytes: 17 },
      { name: "X-CSRF-Token", bytes: 19 },
    ]);
  });
});

describe("addedHeaders", () => {
  it("keeps only the headers the baseline's answer lacks, whatever their case", () => {
    const baseline = ["Content-Type", "application/json", "ETag", 'W/"1"'];
    const response = [
      "content-type",
      "application/json",
      "Set-Cookie",
      "sid=a; Path=/",
      "etag",
      'W/"1"',
    ];
    expect(addedHeaders(response, baseline)).toEqual([{ name: "Set-Cookie", bytes: 27 }]);
  });

  it("adds up a header that comes more than once", () => {
    const response = ["Set-Cookie", "a=1", "Set-Cookie", "b=2"];
    expect(addedHeaders(response, [])).toEqual([{ name: "Set-Cookie", bytes: 2 * 17 }]);
  });
});
