import { describe, expect, it } from "vitest";
import { formatBytes, formatDate, formatDuration, formatInt, formatPct, formatTime } from "./format";

describe("format", () => {
  it("formats counts, shares and sizes", () => {
    expect(formatInt(15840)).toBe("15,840");
    expect(formatPct(0.6853)).toBe("68.5%");
    expect(formatPct(Number.NaN)).toBe("—");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(45 * 1024 * 1024)).toBe("45.0 MB");
  });
  it("formats durations and UTC times", () => {
    expect(formatDuration(4.25)).toBe("4.3 s");
    expect(formatDuration(185)).toBe("3 min 5 s");
    expect(formatDuration(3720)).toBe("1 h 2 min");
    expect(formatTime(Date.UTC(2024, 0, 31, 13, 0))).toBe("2024-01-31 13:00");
    expect(formatDate(Date.UTC(2024, 0, 31, 13, 0))).toBe("2024-01-31");
  });
});
