import { describe, expect, it } from "vitest";
import { confusionSigns, cramersV } from "./signs";

const byId = (cm: number[][]) => Object.fromEntries(confusionSigns(cm).map((s) => [s.id, s]));

describe("confusion signs", () => {
  it("a good model shows every good sign and no bad sign", () => {
    const cm = [
      [30, 8, 2, 0],
      [5, 40, 10, 5],
      [2, 10, 50, 8],
      [1, 3, 6, 30],
    ];
    const s = byId(cm);
    expect(Object.values(s).every((x) => x.ok)).toBe(true);
    // precision BUY = 50/68, STRONG_BUY = 30/43
    expect(s["buy-precision"].detail).toBe("BUY 73.5%, STRONG_BUY 69.8%");
    expect(s["strong-confusion"].detail).toContain(
      "STRONG_SELL predicted STRONG_BUY 0.0%, STRONG_BUY predicted STRONG_SELL 2.5%",
    );
    // wrong side: 2+0+10+5 + 2+10+1+3 = 33 of 210
    expect(s["opposite-confusion"].detail.startsWith("15.7%")).toBe(true);
  });
  it("flags a random-looking matrix", () => {
    const s = byId([
      [25, 25, 25, 25],
      [25, 25, 25, 25],
      [25, 25, 25, 25],
      [25, 25, 25, 25],
    ]);
    expect(s.random.ok).toBe(false);
    expect(s.diagonal.ok).toBe(false);
    expect(s["buy-precision"].ok).toBe(false);
    expect(s["opposite-confusion"].ok).toBe(false); // exactly half on the wrong side
  });
  it("flags a single predicted class", () => {
    const s = byId([
      [0, 0, 10, 0],
      [0, 0, 20, 0],
      [0, 0, 30, 0],
      [0, 0, 10, 0],
    ]);
    expect(s["single-class"].ok).toBe(false);
    expect(s["single-class"].detail).toBe("BUY is 100.0% of predictions; 1 of 4 classes ever predicted");
    expect(s["buy-precision"].detail).toBe("BUY 42.9%, STRONG_BUY never predicted");
    expect(s.random.ok).toBe(false);
  });
  it("flags strong-class confusion", () => {
    const s = byId([
      [6, 0, 0, 4],
      [0, 10, 0, 0],
      [0, 0, 10, 0],
      [1, 0, 0, 9],
    ]);
    expect(s["strong-confusion"].ok).toBe(false);
    expect(s.diagonal.ok).toBe(true);
  });
  it("Cramér's V: 1 for a perfect diagonal, 0 for independence", () => {
    expect(
      cramersV([
        [5, 0],
        [0, 5],
      ]),
    ).toBeCloseTo(1, 12);
    expect(
      cramersV([
        [2, 4],
        [3, 6],
      ]),
    ).toBeCloseTo(0, 12);
    // 2x2 [[3,1],[1,3]]: chi2 = 4*(1^2/2) = 2, n=8 → V = 0.5
    expect(
      cramersV([
        [3, 1],
        [1, 3],
      ]),
    ).toBeCloseTo(0.5, 12);
  });
});
