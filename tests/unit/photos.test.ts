import { describe, expect, it } from "vitest";
import { sniffPhoto } from "@/lib/photos/sniff";
import { stripLocation } from "@/lib/photos/strip-location";
import {
  exifTiff,
  gpsOf,
  heicWithGps,
  jpegWithGps,
  LATITUDE_BYTES,
  pngChunkTypes,
  pngWithGps,
  webpWithGps,
} from "../support/photos";

const ZEROS = Array.from({ length: 12 }, () => 0);

describe("a photo's format, by its bytes", () => {
  it("knows JPEG, PNG, WebP and HEIC, with the size where the header gives it", () => {
    expect(sniffPhoto(jpegWithGps(640, 480))).toEqual({ type: "image/jpeg", width: 640, height: 480 });
    expect(sniffPhoto(pngWithGps(300, 200))).toEqual({ type: "image/png", width: 300, height: 200 });
    expect(sniffPhoto(webpWithGps(400, 300))).toEqual({ type: "image/webp", width: 400, height: 300 });
    expect(sniffPhoto(heicWithGps().bytes)).toEqual({ type: "image/heic", width: null, height: null });
  });

  it("takes nothing else, whatever it is called", () => {
    expect(sniffPhoto(Buffer.from("GIF89a......"))).toBeNull();
    expect(sniffPhoto(Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"))).toBeNull();
    expect(sniffPhoto(Buffer.from("%PDF-1.7"))).toBeNull();
    // An MP4 is an ISO BMFF file too, of another brand.
    expect(sniffPhoto(Buffer.from("\0\0\0\x18ftypisom\0\0\0\0isommp42", "latin1"))).toBeNull();
    expect(sniffPhoto(new Uint8Array(0))).toBeNull();
  });
});

describe("location data removed from what is kept", () => {
  it("zeroes a JPEG's GPS entries in place, keeping the orientation and the file's length", () => {
    const jpeg = jpegWithGps();
    const length = jpeg.length;
    expect(jpeg.includes(LATITUDE_BYTES)).toBe(true);
    const kept = Buffer.from(stripLocation(jpeg, "image/jpeg"));
    expect(kept.length).toBe(length);
    const tiff = kept.subarray(kept.indexOf("MM\0*", 0, "latin1"));
    expect(gpsOf(tiff)).toEqual({ orientation: 6, refs: "\0\0\0\0", rationals: ZEROS });
    expect(kept.includes(LATITUDE_BYTES)).toBe(false);
    expect(sniffPhoto(kept)).toMatchObject({ type: "image/jpeg", width: 640, height: 480 });
  });

  it("drops a PNG's eXIf chunk, the other chunks intact", () => {
    const kept = stripLocation(pngWithGps(), "image/png");
    expect(pngChunkTypes(kept)).toEqual(["IHDR", "IEND"]);
    expect(Buffer.from(kept).includes(LATITUDE_BYTES)).toBe(false);
    // A PNG without Exif is kept as it came.
    const plain = stripLocation(kept, "image/png");
    expect(pngChunkTypes(plain)).toEqual(["IHDR", "IEND"]);
  });

  it("zeroes a WebP's GPS entries (little-endian Exif) in place", () => {
    const webp = webpWithGps();
    const kept = Buffer.from(stripLocation(webp, "image/webp"));
    expect(kept.length).toBe(webp.length);
    const tiff = kept.subarray(kept.indexOf("II*\0", 0, "latin1"));
    expect(gpsOf(tiff, true)).toEqual({ orientation: 6, refs: "\0\0\0\0", rationals: ZEROS });
  });

  it("finds a HEIC's Exif item through iinf and iloc, and zeroes its GPS entries", () => {
    const { bytes, tiffAt } = heicWithGps();
    expect(gpsOf(bytes.subarray(tiffAt)).rationals).not.toEqual(ZEROS);
    const kept = Buffer.from(stripLocation(bytes, "image/heic"));
    expect(gpsOf(kept.subarray(tiffAt))).toEqual({ orientation: 6, refs: "\0\0\0\0", rationals: ZEROS });
    expect(kept.includes(LATITUDE_BYTES)).toBe(false);
  });

  it("leaves what it cannot follow as it is", () => {
    const broken = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x08]),
      Buffer.from("Exif\0\0"),
    ]);
    expect(Buffer.from(stripLocation(Buffer.from(broken), "image/jpeg"))).toEqual(broken);
    const tiff = exifTiff();
    tiff.writeUInt32BE(60_000, 30);
    expect(() => stripLocation(Buffer.concat([Buffer.from([0xff, 0xd8]), tiff]), "image/jpeg")).not.toThrow();
  });
});
