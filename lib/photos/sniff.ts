/** The photo formats the forms take, by the content type they are stored and served under. */
export const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp", "image/heic"] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

/** What a file's bytes say it is: its format and, where the header gives them cheaply, its size. */
export interface Sniffed {
  type: PhotoType;
  width: number | null;
  height: number | null;
}

/** The ftyp brands of HEIC and HEIF images (ISO/IEC 23008-12). */
const HEIF_BRANDS = new Set(["heic", "heix", "hevc", "heim", "heis", "hevm", "hevs", "mif1", "msf1"]);

const ascii = (b: Uint8Array, at: number, length: number) =>
  at + length <= b.length ? String.fromCharCode(...b.subarray(at, at + length)) : "";

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * The file's format by its first bytes (its magic number), never by its name or the type its
 * sender declared; null for anything but a JPEG, PNG, WebP or HEIC/HEIF image.
 */
export function sniffPhoto(b: Uint8Array): Sniffed | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    return { type: "image/jpeg", ...jpegSize(b) };
  }
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 3) === "PNG" && b[4] === 0x0d && b[5] === 0x0a) {
    const ihdr = ascii(b, 12, 4) === "IHDR" && b.length >= 24;
    const v = view(b);
    return {
      type: "image/png",
      width: ihdr ? v.getUint32(16) : null,
      height: ihdr ? v.getUint32(20) : null,
    };
  }
  if (ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 4) === "WEBP") {
    return { type: "image/webp", ...webpSize(b) };
  }
  if (ascii(b, 4, 4) === "ftyp" && b.length >= 12) {
    const boxSize = Math.min(view(b).getUint32(0), b.length);
    // The major brand, then the compatible brands after the minor version.
    const brands = [ascii(b, 8, 4)];
    for (let at = 16; at + 4 <= boxSize; at += 4) brands.push(ascii(b, at, 4));
    if (brands.some((brand) => HEIF_BRANDS.has(brand)))
      return { type: "image/heic", width: null, height: null };
  }
  return null;
}

const NO_SIZE = { width: null, height: null };

/** A JPEG's size from its first start-of-frame segment. */
function jpegSize(b: Uint8Array): { width: number | null; height: number | null } {
  const v = view(b);
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return NO_SIZE;
    const marker = b[at + 1]!;
    // Fill bytes, and markers without a length.
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    const length = v.getUint16(at + 2);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame && at + 9 <= b.length) return { height: v.getUint16(at + 5), width: v.getUint16(at + 7) };
    if (marker === 0xda) return NO_SIZE;
    at += 2 + length;
  }
  return NO_SIZE;
}

/** A WebP's size from its first chunk: lossy (VP8), lossless (VP8L) or extended (VP8X). */
function webpSize(b: Uint8Array): { width: number | null; height: number | null } {
  const chunk = ascii(b, 12, 4);
  const v = view(b);
  if (chunk === "VP8 " && b.length >= 30) {
    return { width: v.getUint16(26, true) & 0x3fff, height: v.getUint16(28, true) & 0x3fff };
  }
  if (chunk === "VP8L" && b.length >= 25) {
    const bits = v.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  if (chunk === "VP8X" && b.length >= 30) {
    const u24 = (at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
    return { width: u24(24) + 1, height: u24(27) + 1 };
  }
  return NO_SIZE;
}
