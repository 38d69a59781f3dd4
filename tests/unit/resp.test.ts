import { describe, expect, test } from "vitest";
import { encodeCommand, parseReply, RedisReplyError } from "@/lib/kv/resp";

/** The complete replies at the start of `wire`, and how many bytes are left over. */
function parseAll(wire: Buffer) {
  const out: unknown[] = [];
  let at = 0;
  for (;;) {
    const parsed = parseReply(wire, at);
    if (!parsed) return { out, rest: wire.length - at };
    out.push(parsed.value);
    at = parsed.end;
  }
}

describe("RESP", () => {
  const wire = Buffer.from(
    [
      "+OK\r\n",
      ":42\r\n",
      "$-1\r\n",
      `$${Buffer.byteLength("Plaza Ñandú")}\r\nPlaza Ñandú\r\n`,
      "$4\r\na\r\nb\r\n",
      "*3\r\n:7\r\n$1\r\nx\r\n$-1\r\n",
      "*2\r\n*1\r\n:1\r\n*0\r\n",
      "-ERR value is not an integer or out of range\r\n",
      "*2\r\n:1\r\n-ERR inside\r\n",
    ].join(""),
  );

  test("reads every kind of reply a KV command gets, multibyte and CRLF inside values included", () => {
    const { out, rest } = parseAll(wire);
    expect(rest).toBe(0);
    expect(out.slice(0, 7)).toEqual(["OK", 42, null, "Plaza Ñandú", "a\r\nb", [7, "x", null], [[1], []]]);
    expect(out[7]).toBeInstanceOf(RedisReplyError);
    expect((out[7] as Error).message).toBe("ERR value is not an integer or out of range");
    expect((out[8] as Error).message).toBe("ERR inside");
  });

  test("a reply cut anywhere is read once the rest arrives, never early or wrong", () => {
    const whole = parseAll(wire).out;
    for (let cut = 0; cut < wire.length; cut++) {
      const first = parseAll(wire.subarray(0, cut));
      const consumed = cut - first.rest;
      const second = parseAll(wire.subarray(consumed));
      expect(second.rest).toBe(0);
      expect([...first.out, ...second.out]).toEqual(whole);
    }
  });

  test("commands are arrays of bulk strings counted in bytes", () => {
    expect(encodeCommand(["SET", "k", "Ñ"])).toBe("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\nÑ\r\n");
  });
});
