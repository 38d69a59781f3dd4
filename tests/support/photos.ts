/**
 * Small images built byte by byte for the photo tests, each carrying Exif data with a GPS position
 * (44°58'12.34" N, 93°15'56.78" W) and an orientation, in each format the forms take.
 */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const LATITUDE = [44, 1, 58, 1, 1234, 100];
const LONGITUDE = [93, 1, 15, 1, 5678, 100];

/**
 * A TIFF structure as Exif keeps it: IFD0 with the orientation and a pointer to the GPS IFD, which
 * holds the latitude and longitude (rationals, outside the entries) and their references.
 */
export function exifTiff(little = false): Buffer {
  const b = Buffer.alloc(8 + 30 + 54 + 48);
  const u16 = (v: number, at: number) => (little ? b.writeUInt16LE(v, at) : b.writeUInt16BE(v, at));
  const u32 = (v: number, at: number) => (little ? b.writeUInt32LE(v, at) : b.writeUInt32BE(v, at));
  b.write(little ? "II" : "MM", 0, "latin1");
  u16(42, 2);
  u32(8, 4);
  // IFD0 at 8: orientation (SHORT 6), GPS IFD pointer (LONG); next IFD none.
  u16(2, 8);
  u16(0x0112, 10);
  u16(3, 12);
  u32(1, 14);
  u16(6, 18);
  u16(0x8825, 22);
  u16(4, 24);
  u32(1, 26);
  u32(38, 30);
  u32(0, 34);
  // GPS IFD at 38: N, latitude, W, longitude; rationals at 92 and 116.
  u16(4, 38);
  const entry = (i: number, tag: number, type: number, count: number) => {
    const at = 40 + i * 12;
    u16(tag, at);
    u16(type, at + 2);
    u32(count, at + 4);
    return at + 8;
  };
  b.write("N\0", entry(0, 1, 2, 2), "latin1");
  u32(92, entry(1, 2, 5, 3));
  b.write("W\0", entry(2, 3, 2, 2), "latin1");
  u32(116, entry(3, 4, 5, 3));
  u32(0, 88);
  LATITUDE.forEach((v, i) => u32(v, 92 + i * 4));
  LONGITUDE.forEach((v, i) => u32(v, 116 + i * 4));
  return b;
}

/**
 * The values read back from a TIFF structure built by exifTiff: the orientation, the GPS
 * references, then the GPS rationals.
 */
export function gpsOf(tiff: Uint8Array, little = false) {
  const b = Buffer.from(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const u32 = (at: number) => (little ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const u16 = (at: number) => (little ? b.readUInt16LE(at) : b.readUInt16BE(at));
  return {
    orientation: u16(18),
    refs: b.toString("latin1", 48, 50) + b.toString("latin1", 72, 74),
    rationals: Array.from({ length: 12 }, (_, i) => u32(92 + i * 4)),
  };
}

/** Where the GPS position sits in an image built here: the bytes of its latitude, big-endian. */
export const LATITUDE_BYTES = Buffer.concat(
  LATITUDE.map((v) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(v);
    return b;
  }),
);

function segment(marker: number, body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xff00 | marker, 0);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

/** A JPEG's header: SOI, an APP1 Exif segment, and a start of frame of the given size; no image data. */
export function jpegWithGps(width = 640, height = 480): Buffer {
  const sof = Buffer.alloc(15);
  sof[0] = 8;
  sof.writeUInt16BE(height, 1);
  sof.writeUInt16BE(width, 3);
  sof[5] = 3;
  for (let i = 0; i < 3; i++) sof.set([i + 1, 0x11, 0], 6 + i * 3);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe1, Buffer.concat([Buffer.from("Exif\0\0", "latin1"), exifTiff()])),
    segment(0xc0, sof),
    Buffer.from([0xff, 0xd9]),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG's chunks: IHDR (the given size), eXIf, IEND. */
export function pngWithGps(width = 300, height = 200): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("eXIf", exifTiff()),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

/** The chunk types of a PNG, in order. */
export function pngChunkTypes(png: Uint8Array): string[] {
  const b = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  const types: string[] = [];
  for (let at = 8; at + 12 <= b.length; at += 12 + b.readUInt32BE(at)) {
    const type = b.toString("latin1", at + 4, at + 8);
    const body = b.subarray(at + 4, at + 8 + b.readUInt32BE(at));
    if (crc32(body) !== b.readUInt32BE(at + 8 + b.readUInt32BE(at))) throw new Error(`bad CRC in ${type}`);
    types.push(type);
  }
  return types;
}

function riffChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(type, 0, "latin1");
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

/** A WebP's chunks: VP8X (the given size, Exif flagged) and EXIF, little-endian. */
export function webpWithGps(width = 400, height = 300): Buffer {
  const vp8x = Buffer.alloc(10);
  vp8x[0] = 0x08;
  vp8x.writeUIntLE(width - 1, 4, 3);
  vp8x.writeUIntLE(height - 1, 7, 3);
  const body = Buffer.concat([
    Buffer.from("WEBP", "latin1"),
    riffChunk("VP8X", vp8x),
    riffChunk("EXIF", exifTiff(true)),
  ]);
  const head = Buffer.alloc(8);
  head.write("RIFF", 0, "latin1");
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

function box(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length + 8);
  head.write(type, 4, "latin1");
  return Buffer.concat([head, body]);
}

/**
 * A HEIC file's boxes: ftyp (heic), meta with one Exif item (iinf, iloc pointing into mdat), and
 * mdat holding the item: the offset of its TIFF header, "Exif\0\0" and the TIFF structure.
 */
export function heicWithGps(): { bytes: Buffer; tiffAt: number } {
  const ftyp = box("ftyp", Buffer.from("heic\0\0\0\0mif1heic", "latin1"));
  const infe = box("infe", Buffer.from([2, 0, 0, 0, 0, 1, 0, 0]), Buffer.from("Exif\0", "latin1"));
  const iinf = box("iinf", Buffer.from([0, 0, 0, 0, 0, 1]), infe);
  const item = Buffer.concat([Buffer.from([0, 0, 0, 6]), Buffer.from("Exif\0\0", "latin1"), exifTiff()]);
  const iloc = (offset: number) => {
    const b = Buffer.alloc(4 + 2 + 2 + 2 + 2 + 2 + 8);
    b.writeUInt16BE(0x4400, 4);
    b.writeUInt16BE(1, 6);
    b.writeUInt16BE(1, 8);
    b.writeUInt16BE(0, 10);
    b.writeUInt16BE(1, 12);
    b.writeUInt32BE(offset, 14);
    b.writeUInt32BE(item.length, 18);
    return box("iloc", b);
  };
  const meta = (offset: number) => box("meta", Buffer.alloc(4), iinf, iloc(offset));
  const before = ftyp.length + meta(0).length + 8;
  const bytes = Buffer.concat([ftyp, meta(before), box("mdat", item)]);
  return { bytes, tiffAt: before + 10 };
}
