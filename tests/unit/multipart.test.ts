import { describe, expect, it } from "vitest";
import { readMultipart } from "@/lib/http/multipart";

/** A multipart request of these parts, its body sent in chunks of the given size. */
function request(parts: [string, string | File][], chunk = 1000): Request {
  const data = new FormData();
  for (const [name, value] of parts) data.append(name, value);
  const built = new Request("http://portal.test/", { method: "POST", body: data });
  const reader = built.clone();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const bytes = new Uint8Array(await reader.arrayBuffer());
      for (let at = 0; at < bytes.length; at += chunk) controller.enqueue(bytes.slice(at, at + chunk));
      controller.close();
    },
  });
  return new Request("http://portal.test/", {
    method: "POST",
    headers: { "content-type": built.headers.get("content-type")! },
    body,
    duplex: "half",
  } as RequestInit);
}

const file = (size: number, name = "a.jpg") => new File([new Uint8Array(size).fill(65)], name);

describe("a multipart body", () => {
  it("within the limit: every part, files included, in order", async () => {
    const read = await readMultipart(
      request([
        ["name", "Ann"],
        ["photos", file(500)],
        ["consent", "on"],
      ]),
      10_000,
    );
    expect(read.tooLarge).toBe(false);
    expect(
      read.entries.map(([name, value]) => [name, typeof value === "string" ? value : value.size]),
    ).toEqual([
      ["name", "Ann"],
      ["photos", 500],
      ["consent", "on"],
    ]);
  });

  it("past the limit: the text fields before and after the files, once each, and no file", async () => {
    for (const chunk of [1000, 4096, 7]) {
      const read = await readMultipart(
        request(
          [
            ["name", "Ann Lee"],
            ["notes", 'Line one\r\nline two, with "quotes"'],
            ["photos", file(50_000)],
            ["consent", "on"],
          ],
          chunk,
        ),
        10_000,
      );
      expect(read.tooLarge).toBe(true);
      expect(read.entries).toEqual([
        ["name", "Ann Lee"],
        ["notes", 'Line one\r\nline two, with "quotes"'],
        ["consent", "on"],
      ]);
    }
  });

  it("refuses a body without a boundary", async () => {
    const req = new Request("http://portal.test/", {
      method: "POST",
      headers: { "content-type": "multipart/form-data" },
      body: "x",
    });
    await expect(readMultipart(req)).rejects.toMatchObject({ code: "validation" });
  });
});
