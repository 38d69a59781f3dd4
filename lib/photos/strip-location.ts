import type { PhotoType } from "./sniff";

/**
 * Removes where a photo was taken: the GPS part of its Exif data. In JPEG, WebP and HEIC the GPS
 * entries' values are overwritten with zeros where they are, so the container (its offsets, its
 * other metadata such as the orientation) stays valid; PNG's eXIf chunk, which a checksum covers,
 * is dropped whole. Returns the bytes to keep (the same array, changed, where it was changed in place).
 */
export function stripLocation(bytes: Uint8Array, type: PhotoType): Uint8Array {
  switch (type) {
    case "image/jpeg":
      for (const tiff of jpegExif(bytes)) zeroGps(tiff);
      return bytes;
    case "image/webp":
      for (const tiff of webpExif(bytes)) zeroGps(tiff);
      return bytes;
    case "image/heic":
      for (const tiff of heifExif(bytes)) zeroGps(tiff);
      return bytes;
    case "image/png":
      return withoutPngExif(bytes);
  }
}

const TAG_GPS_IFD = 0x8825;
/** Bytes per value of each TIFF field type (1 BYTE ... 13 IFD); unknown types count as 1. */
const TYPE_SIZES = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4];

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

const ascii = (b: Uint8Array, at: number, length: number) =>
  at >= 0 && at + length <= b.length ? String.fromCharCode(...b.subarray(at, at + length)) : "";

const EXIF_HEADER = "Exif\0\0";

/**
 * Zeroes, inside a TIFF structure (an Exif block from its byte-order mark on), the value of every
 * entry of the GPS IFD that IFD0 points to: coordinates, altitude, time, direction, area name.
 * A structure it cannot follow is left as it is.
 */
export function zeroGps(tiff: Uint8Array): void {
  if (tiff.length < 8) return;
  const order = ascii(tiff, 0, 2);
  if (order !== "II" && order !== "MM") return;
  const little = order === "II";
  const v = view(tiff);
  if (v.getUint16(2, little) !== 42) return;
  const gps = ifdEntries(tiff, v.getUint32(4, little), little).find((e) => e.tag === TAG_GPS_IFD);
  if (!gps) return;
  const gpsOffset = v.getUint32(gps.at + 8, little);
  for (const entry of ifdEntries(tiff, gpsOffset, little)) {
    const size = (TYPE_SIZES[entry.type] ?? 1) * entry.count;
    if (size <= 4) {
      tiff.fill(0, entry.at + 8, entry.at + 12);
    } else {
      const at = v.getUint32(entry.at + 8, little);
      if (at < tiff.length) tiff.fill(0, at, Math.min(tiff.length, at + size));
    }
  }
}

/** An IFD's entries: where each starts (12 bytes: tag, type, count, value or offset). */
function ifdEntries(tiff: Uint8Array, offset: number, little: boolean) {
  const v = view(tiff);
  if (offset < 8 || offset + 2 > tiff.length) return [];
  const count = v.getUint16(offset, little);
  const entries: { at: number; tag: number; type: number; count: number }[] = [];
  for (let i = 0; i < count; i++) {
    const at = offset + 2 + i * 12;
    if (at + 12 > tiff.length) break;
    entries.push({
      at,
      tag: v.getUint16(at, little),
      type: v.getUint16(at + 2, little),
      count: v.getUint32(at + 4, little),
    });
  }
  return entries;
}

/** The TIFF structures of a JPEG's APP1 Exif segments. */
function jpegExif(b: Uint8Array): Uint8Array[] {
  const found: Uint8Array[] = [];
  const v = view(b);
  let at = 2;
  while (at + 4 <= b.length && b[at] === 0xff) {
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    // Start of scan (the image data follows) or end of image: no metadata after.
    if (marker === 0xda || marker === 0xd9) break;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    const length = v.getUint16(at + 2);
    const end = Math.min(b.length, at + 2 + length);
    if (marker === 0xe1 && ascii(b, at + 4, 6) === EXIF_HEADER) found.push(b.subarray(at + 10, end));
    at = at + 2 + length;
  }
  return found;
}

/** The TIFF structures of a WebP's EXIF chunks (some writers put "Exif\0\0" before it). */
function webpExif(b: Uint8Array): Uint8Array[] {
  const found: Uint8Array[] = [];
  const v = view(b);
  let at = 12;
  while (at + 8 <= b.length) {
    const size = v.getUint32(at + 4, true);
    const end = Math.min(b.length, at + 8 + size);
    if (ascii(b, at, 4) === "EXIF") {
      const start = ascii(b, at + 8, 6) === EXIF_HEADER ? at + 14 : at + 8;
      found.push(b.subarray(start, end));
    }
    // Chunks are padded to an even size.
    at = at + 8 + size + (size % 2);
  }
  return found;
}

/** A PNG without its eXIf chunk. */
function withoutPngExif(b: Uint8Array): Uint8Array {
  const v = view(b);
  const kept: Uint8Array[] = [b.subarray(0, 8)];
  let at = 8;
  let dropped = false;
  while (at + 12 <= b.length) {
    const end = Math.min(b.length, at + 12 + v.getUint32(at));
    if (ascii(b, at + 4, 4) === "eXIf") dropped = true;
    else kept.push(b.subarray(at, end));
    at = end;
  }
  if (!dropped) return b;
  if (at < b.length) kept.push(b.subarray(at));
  return Buffer.concat(kept);
}

/** An ISO BMFF box: its type, where its contents start and where it ends. */
interface Box {
  type: string;
  start: number;
  end: number;
}

function boxes(b: Uint8Array, from: number, to: number): Box[] {
  const v = view(b);
  const found: Box[] = [];
  let at = from;
  while (at + 8 <= to) {
    let size = v.getUint32(at);
    let header = 8;
    if (size === 1 && at + 16 <= to) {
      size = Number(v.getBigUint64(at + 8));
      header = 16;
    } else if (size === 0) {
      size = to - at;
    }
    if (size < header) break;
    const end = Math.min(to, at + size);
    found.push({ type: ascii(b, at + 4, 4), start: at + header, end });
    at = end;
  }
  return found;
}

/**
 * The TIFF structures of a HEIC/HEIF file's Exif items: the item's id from the item info box
 * (iinf), its bytes from the item location box (iloc: in the file, or in the idat box), and the
 * TIFF header at the offset the item's first four bytes give.
 */
function heifExif(b: Uint8Array): Uint8Array[] {
  const v = view(b);
  const meta = boxes(b, 0, b.length).find((box) => box.type === "meta");
  if (!meta) return [];
  // A full box: version and flags first.
  const children = boxes(b, meta.start + 4, meta.end);
  const iinf = children.find((box) => box.type === "iinf");
  const iloc = children.find((box) => box.type === "iloc");
  const idat = children.find((box) => box.type === "idat");
  if (!iinf || !iloc) return [];

  const exifIds = new Set<number>();
  const entriesAt = iinf.start + 4 + (b[iinf.start] === 0 ? 2 : 4);
  for (const infe of boxes(b, entriesAt, iinf.end)) {
    if (infe.type !== "infe") continue;
    const version = b[infe.start]!;
    if (version < 2) continue;
    const id = version === 2 ? v.getUint16(infe.start + 4) : v.getUint32(infe.start + 4);
    const typeAt = infe.start + 4 + (version === 2 ? 2 : 4) + 2;
    if (ascii(b, typeAt, 4) === "Exif") exifIds.add(id);
  }
  if (exifIds.size === 0) return [];

  const found: Uint8Array[] = [];
  const version = b[iloc.start]!;
  let at = iloc.start + 4;
  const read = (size: number): number => {
    if (at + size > iloc.end) throw new RangeError("iloc");
    const value =
      size === 0
        ? 0
        : size === 2
          ? v.getUint16(at)
          : size === 4
            ? v.getUint32(at)
            : Number(v.getBigUint64(at));
    at += size;
    return value;
  };
  try {
    const sizes = read(2);
    const offsetSize = (sizes >> 12) & 0xf;
    const lengthSize = (sizes >> 8) & 0xf;
    const baseOffsetSize = (sizes >> 4) & 0xf;
    const indexSize = version === 1 || version === 2 ? sizes & 0xf : 0;
    const itemCount = version < 2 ? read(2) : read(4);
    for (let i = 0; i < itemCount; i++) {
      const id = version < 2 ? read(2) : read(4);
      const method = version === 1 || version === 2 ? read(2) & 0xf : 0;
      read(2); // data_reference_index
      const base = read(baseOffsetSize);
      const extents = read(2);
      let first: { offset: number; length: number } | undefined;
      for (let e = 0; e < extents; e++) {
        read(indexSize);
        const offset = read(offsetSize);
        const length = read(lengthSize);
        first ??= { offset, length };
      }
      if (!exifIds.has(id) || !first || (method !== 0 && method !== 1)) continue;
      const origin = method === 1 ? (idat?.start ?? -1) : 0;
      if (origin < 0) continue;
      const start = origin + base + first.offset;
      const end = Math.min(b.length, first.length === 0 ? b.length : start + first.length);
      if (start + 4 > end) continue;
      const tiffAt = start + 4 + v.getUint32(start);
      if (tiffAt < end) found.push(b.subarray(tiffAt, end));
    }
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  return found;
}
