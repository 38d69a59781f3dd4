import { fail } from "@/lib/errors";

/** Vercel refuses a function's request body past 4.5 MB: the portal refuses it at the same size. */
export const MAX_MULTIPART_BYTES = 4_500_000;
/** Past the limit, the body is still read (and dropped) up to here, for the fields sent after the files. */
const READ_AT_MOST = 64 * 1024 * 1024;
/** How much of the end of a body past the limit is kept, for those fields. */
const TAIL_BYTES = 256 * 1024;

/** A multipart body: its parts in order, or, past the limit, only its text fields and that it was too large. */
export interface Multipart {
  entries: [string, string | File][];
  tooLarge: boolean;
}

function boundaryOf(contentType: string): string {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw fail.invalid("body", "A multipart body needs a boundary");
  return boundary;
}

/**
 * Reads a multipart/form-data body, at most maxBytes of it. A larger one is not refused outright:
 * its text fields (those before the files, and those in its last part, after them) are still
 * read, so that a form posted without JavaScript can come back with everything the visitor
 * typed, and its files dropped.
 */
export async function readMultipart(
  req: Request,
  maxBytes: number = MAX_MULTIPART_BYTES,
): Promise<Multipart> {
  const contentType = req.headers.get("content-type") ?? "";
  const boundary = boundaryOf(contentType);
  const head: Uint8Array[] = [];
  let tail: Uint8Array[] = [];
  let size = 0;
  let tailSize = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read().catch(() => {
        throw fail.invalid("body", "The request body could not be read");
      });
      if (done) break;
      const before = size;
      size += value.byteLength;
      if (size <= maxBytes) {
        head.push(value);
        continue;
      }
      // The head ends at the limit and the tail starts there: no part is read twice.
      const over = before < maxBytes ? value.subarray(maxBytes - before) : value;
      if (before < maxBytes) head.push(value.subarray(0, maxBytes - before));
      tail.push(over);
      tailSize += over.byteLength;
      while (tail.length > 1 && tailSize - tail[0]!.byteLength >= TAIL_BYTES) {
        tailSize -= tail[0]!.byteLength;
        tail = tail.slice(1);
      }
      if (size > READ_AT_MOST) {
        await reader.cancel();
        break;
      }
    }
  }
  if (size <= maxBytes) {
    let form: FormData;
    try {
      form = await new Response(Buffer.concat(head), { headers: { "content-type": contentType } }).formData();
    } catch {
      throw fail.invalid("body", "Malformed multipart body");
    }
    return { entries: [...form.entries()], tooLarge: false };
  }
  const fields = [...textParts(Buffer.concat(head), boundary), ...textParts(Buffer.concat(tail), boundary)];
  return { entries: fields, tooLarge: true };
}

/**
 * The complete text parts (no filename) found in a piece of a multipart body, between two of its
 * delimiters; anything cut at either end of the piece is left out.
 */
function textParts(piece: Buffer, boundary: string): [string, string][] {
  const delimiter = Buffer.from(`--${boundary}`);
  const starts: number[] = [];
  for (let at = piece.indexOf(delimiter); at >= 0; at = piece.indexOf(delimiter, at + delimiter.length)) {
    starts.push(at);
  }
  const parts: [string, string][] = [];
  for (let i = 0; i + 1 < starts.length; i++) {
    const part = piece.subarray(starts[i]! + delimiter.length, starts[i + 1]!);
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd < 0) continue;
    const headers = part.subarray(0, headerEnd).toString("utf8");
    const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? "";
    const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined || /;\s*filename\*?=/i.test(disposition)) continue;
    // The part's content ends before the line break that precedes the next delimiter.
    const content = part.subarray(headerEnd + 4, Math.max(headerEnd + 4, part.length - 2));
    parts.push([decodeName(name), content.toString("utf8")]);
  }
  return parts;
}

/** Browsers send a field's name with '"' and line breaks percent-encoded. */
function decodeName(name: string): string {
  return name.replace(/%22/g, '"').replace(/%0D/gi, "\r").replace(/%0A/gi, "\n");
}
