import { describe, expect, it } from "vitest";
import { strToU8, zipSync } from "fflate";
import { writeZip } from "@/test/zip/write-zip";
import { deflatedZeros } from "@/test/zip/zero-bomb";
import { inflateEntry, readZipDirectory, ZipError } from "./bounded-unzip";

const LIMITS = { maxEntries: 8, maxEntryBytes: 1 << 20, maxTotalBytes: 2 << 20 };

function refusal(f: () => unknown): ZipError {
  try {
    f();
  } catch (e) {
    if (e instanceof ZipError) return e;
    throw e;
  }
  throw new Error("not refused");
}

describe("bounded unzip", () => {
  it("reads stored and deflated entries that fflate wrote, by name", () => {
    const text = strToU8("hello ".repeat(1000));
    const zip = zipSync({ "a.txt": text, "dir/b.bin": [Uint8Array.of(1, 2, 3), { level: 0 }] });
    const dir = readZipDirectory(zip, LIMITS);
    expect([...dir.keys()]).toEqual(["a.txt", "dir/b.bin"]);
    expect(dir.get("a.txt")!.method).toBe(8);
    expect(dir.get("dir/b.bin")!.method).toBe(0);
    expect(inflateEntry(zip, dir.get("a.txt")!)).toEqual(text);
    expect(inflateEntry(zip, dir.get("dir/b.bin")!)).toEqual(Uint8Array.of(1, 2, 3));
  });

  it("refuses from the directory alone: too many entries, an entry or the total declared too large, duplicates", () => {
    const many = writeZip(Array.from({ length: 9 }, (_, i) => ({ name: `f${i}`, content: Uint8Array.of(i) })));
    expect(refusal(() => readZipDirectory(many, LIMITS)).message).toMatch(/holds 9 entries; at most 8/);
    const big = writeZip([{ name: "big.bin", content: Uint8Array.of(0), declaredSize: (1 << 20) + 1 }]);
    const e = refusal(() => readZipDirectory(big, LIMITS));
    expect(e.kind).toBe("limit");
    expect(e.message).toBe('"big.bin" is too large: it declares 1.0 MB inflated, the limit per entry is 1.0 MB');
    const total = writeZip(
      [0, 1, 2].map((i) => ({ name: `p${i}`, content: Uint8Array.of(0), declaredSize: 800 * 1024 })),
    );
    expect(refusal(() => readZipDirectory(total, LIMITS)).message).toMatch(/declare more than 2.0 MB inflated in all/);
    const twice = writeZip([
      { name: "manifest.json", content: strToU8("{}") },
      { name: "manifest.json", content: strToU8('{"a":1}') },
    ]);
    expect(refusal(() => readZipDirectory(twice, LIMITS)).message).toMatch(/two entries named "manifest.json"/);
    expect(refusal(() => readZipDirectory(strToU8("not a zip at all, just text"), LIMITS)).kind).toBe("not-zip");
  });

  it("stops inflating at the first byte past the declared size: 500 MB of zeros declared as 1,000 bytes", async () => {
    const zeros = await deflatedZeros(500 * 1024 * 1024);
    const zip = writeZip([{ name: "golden.json", deflated: zeros, declaredSize: 1000 }]);
    const entry = readZipDirectory(zip, LIMITS).get("golden.json")!;
    const before = process.memoryUsage().arrayBuffers;
    const t0 = performance.now();
    const e = refusal(() => inflateEntry(zip, entry));
    const ms = performance.now() - t0;
    expect(e.message).toBe('"golden.json" inflates to more than the 1000 B its header declares');
    // Inflating it all takes seconds and 500 MB; one step of 4 KB input is milliseconds and ~4 MB.
    expect(ms).toBeLessThan(500);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);
  });

  it("refuses damage: data shorter than declared, a CRC that differs, a local header naming another file", () => {
    const content = strToU8("0123456789".repeat(50));
    const check = (entry: Parameters<typeof writeZip>[0][number]) => {
      const zip = writeZip([entry]);
      return refusal(() => inflateEntry(zip, readZipDirectory(zip, LIMITS).get("x")!)).message;
    };
    expect(check({ name: "x", content, declaredSize: 600 })).toBe(
      '"x" is damaged (it inflates to 500 bytes, its header declares 600)',
    );
    expect(check({ name: "x", content, crc: 12345 })).toBe('"x" is damaged (checksum mismatch)');
    expect(check({ name: "x", content, method: 0, crc: 12345 })).toBe('"x" is damaged (checksum mismatch)');
    expect(check({ name: "x", content, localName: "y" })).toBe('"x" is damaged (its local header names another file)');
    expect(check({ name: "x", content, method: 0, declaredSize: 400 })).toMatch(/stored size differs/);
  });

  it("names hostile entries readably in messages (control characters, 64 KB names)", () => {
    const long = "a".repeat(65_000);
    const zip = writeZip([
      { name: "bad\u0000name\n", content: Uint8Array.of(1), declaredSize: 2 << 20 },
      { name: long, content: Uint8Array.of(1) },
    ]);
    expect(refusal(() => readZipDirectory(zip, LIMITS)).message).toMatch(/^"bad\?name\?" is too large/);
    const longZip = writeZip([{ name: long, content: Uint8Array.of(1), declaredSize: 2 << 20 }]);
    const msg = refusal(() => readZipDirectory(longZip, LIMITS)).message;
    expect(msg.length).toBeLessThan(200);
    expect(msg).toMatch(/^"a{77}…" is too large/);
  });
});
