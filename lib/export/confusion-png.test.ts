import { describe, expect, it } from "vitest";
import { confusionMatrixPng, heatColor, renderConfusionMatrix, textWidth } from "./confusion-png";
import { decodePng } from "./png";

const cm = [
  [30, 8, 2, 0],
  [5, 40, 10, 5],
  [2, 10, 50, 8],
  [1, 3, 6, 0],
];

describe("confusion matrix PNG", () => {
  it("decodes to the rendered pixels", () => {
    const r = renderConfusionMatrix(cm, { title: "Transformer" });
    const d = decodePng(confusionMatrixPng(cm, { title: "Transformer" }));
    expect([d.width, d.height]).toEqual([r.width, r.height]);
    expect(d.rgba).toEqual(r.rgba);
  });
  it("colours each cell by its row share and writes text into it", () => {
    const r = renderConfusionMatrix(cm);
    const px = (x: number, y: number) => Array.from(r.rgba.subarray((y * r.width + x) * 4, (y * r.width + x) * 4 + 3));
    for (let i = 0; i < 4; i++) {
      const total = cm[i].reduce((a, b) => a + b, 0);
      for (let j = 0; j < 4; j++) {
        const c = r.cells[i][j];
        // A point inside the cell's padding (no text, no grid line) holds the heat colour.
        expect(px(c.x + 3, c.y + 3)).toEqual([...heatColor(cm[i][j] / total)]);
        // Some pixels in the cell differ from the background: the count and share are drawn.
        let ink = 0;
        for (let y = c.y + 2; y < c.y + c.h; y++)
          for (let x = c.x + 2; x < c.x + c.w; x++) if (px(x, y).join() !== heatColor(cm[i][j] / total).join()) ink++;
        expect(ink).toBeGreaterThan(20);
      }
    }
    // The darkest cell is the largest share (BUY row's 50 of 70 is 71.4%; STRONG_SELL's 30/40 = 75%).
    expect(px(r.cells[0][0].x + 3, r.cells[0][0].y + 3)[0]).toBeLessThan(
      px(r.cells[2][2].x + 3, r.cells[2][2].y + 3)[0],
    );
    expect(textWidth("AB", 2)).toBe(22);
  });
  it("handles an empty row", () => {
    const r = renderConfusionMatrix(
      [
        [1, 0],
        [0, 0],
      ],
      { classNames: ["DOWN", "UP"] },
    );
    expect(r.cells).toHaveLength(2);
  });
});

describe("raster helpers", () => {
  it("draws at half-pixel positions by rounding, never dropping pixels", async () => {
    const { createRaster, drawText } = await import("./confusion-png");
    const img = createRaster(10, 10);
    drawText(img, "I", 0.5, 0.5, 1, [0, 0, 0]);
    let dark = 0;
    for (let i = 0; i < 100; i++) if (img.rgba[i * 4] === 0) dark++;
    expect(dark).toBe(3 + 5 + 3); // "I": top bar 3, stem 5, bottom bar 3
  });
});
