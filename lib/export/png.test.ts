import { describe, expect, it } from "vitest";
import { unzlibSync } from "fflate";
import { crc32, decodePng, encodePng } from "./png";

describe("PNG encoder", () => {
  it("crc32 matches the standard check value", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    expect(crc32(new TextEncoder().encode("IEND"))).toBe(0xae426082); // the well-known IEND CRC
  });
  it("round-trips pixels with a valid structure", () => {
    const w = 3;
    const h = 2;
    const rgba = Uint8Array.from({ length: w * h * 4 }, (_, i) => (i * 37) & 255);
    const png = encodePng(rgba, w, h);
    expect(Array.from(png.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    // IHDR: length 13, "IHDR", width 3, height 2, depth 8, colour 6 (RGBA), deflate, filter 0, no interlace
    expect(Array.from(png.subarray(8, 29))).toEqual([
      0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 3, 0, 0, 0, 2, 8, 6, 0, 0, 0,
    ]);
    const d = decodePng(png);
    expect(d.chunks).toEqual(["IHDR", "IDAT", "IEND"]);
    expect([d.width, d.height]).toEqual([3, 2]);
    expect(d.rgba).toEqual(rgba);
    // The IDAT inflates (with fflate) to filter byte 0 + the row's pixels.
    const len = new DataView(png.buffer).getUint32(33);
    const raw = unzlibSync(png.subarray(41, 41 + len));
    expect(raw.length).toBe(2 * (1 + 12));
    expect(Array.from(raw.subarray(14, 26))).toEqual(Array.from(rgba.subarray(12, 24)));
  });
  it("rejects a size that does not match the pixels, and a corrupted file", () => {
    expect(() => encodePng(new Uint8Array(10), 2, 2)).toThrow();
    const png = encodePng(new Uint8Array(16).fill(9), 2, 2);
    png[45] ^= 1; // inside the IDAT data
    expect(() => decodePng(png)).toThrow(/CRC/);
  });
});
