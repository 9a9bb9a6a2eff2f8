/**
 * Renders a confusion matrix heatmap (counts and row shares in each cell, class names on both
 * axes) into RGBA pixels and PNG bytes, with a built-in 5x7 bitmap font: no DOM, no canvas, so
 * it runs in workers and Node (confusion_matrix_<model>.png, as the guide's scripts produce).
 */
import { CLASS_NAMES } from "../core/classes";
import { encodePng } from "./png";

/** 5x7 glyphs, one 5-bit row per entry (bit 4 = leftmost pixel). Lowercase is drawn as uppercase. */
const FONT: Record<string, readonly number[]> = {
  "0": [0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e],
  "1": [0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e],
  "2": [0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f],
  "3": [0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e],
  "4": [0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02],
  "5": [0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e],
  "6": [0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e],
  "7": [0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
  "8": [0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e],
  "9": [0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c],
  A: [0x0e, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11],
  B: [0x1e, 0x11, 0x11, 0x1e, 0x11, 0x11, 0x1e],
  C: [0x0e, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0e],
  D: [0x1c, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1c],
  E: [0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x1f],
  F: [0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x10],
  G: [0x0e, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0f],
  H: [0x11, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11],
  I: [0x0e, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0e],
  J: [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0c],
  K: [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11],
  L: [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1f],
  M: [0x11, 0x1b, 0x15, 0x15, 0x11, 0x11, 0x11],
  N: [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
  O: [0x0e, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e],
  P: [0x1e, 0x11, 0x11, 0x1e, 0x10, 0x10, 0x10],
  Q: [0x0e, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0d],
  R: [0x1e, 0x11, 0x11, 0x1e, 0x14, 0x12, 0x11],
  S: [0x0f, 0x10, 0x10, 0x0e, 0x01, 0x01, 0x1e],
  T: [0x1f, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
  U: [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e],
  V: [0x11, 0x11, 0x11, 0x11, 0x11, 0x0a, 0x04],
  W: [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0a],
  X: [0x11, 0x11, 0x0a, 0x04, 0x0a, 0x11, 0x11],
  Y: [0x11, 0x11, 0x0a, 0x04, 0x04, 0x04, 0x04],
  Z: [0x1f, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1f],
  _: [0, 0, 0, 0, 0, 0, 0x1f],
  "%": [0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03],
  ".": [0, 0, 0, 0, 0, 0x0c, 0x0c],
  ",": [0, 0, 0, 0, 0x0c, 0x04, 0x08],
  "-": [0, 0, 0, 0x1f, 0, 0, 0],
  ":": [0, 0x0c, 0x0c, 0, 0x0c, 0x0c, 0],
  "(": [0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02],
  ")": [0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08],
  "/": [0, 0x01, 0x02, 0x04, 0x08, 0x10, 0],
  "=": [0, 0, 0x1f, 0, 0x1f, 0, 0],
  "?": [0x0e, 0x11, 0x01, 0x02, 0x04, 0, 0x04],
  " ": [0, 0, 0, 0, 0, 0, 0],
};

/** Glyph advance in font units (5 pixels + 1 gap) and line height (7 + 1). */
const ADV = 6;
const LINE = 8;

export type Rgb = readonly [number, number, number];

/** An RGBA image being drawn on: [height * width * 4], top row first. */
export interface Raster {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** New raster filled with `bg`. */
export function createRaster(width: number, height: number, bg: Rgb = [255, 255, 255]): Raster {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) rgba.set([bg[0], bg[1], bg[2], 255], i * 4);
  return { width, height, rgba };
}

/** Fills the rectangle [x, x+w) × [y, y+h), clipped to the raster. */
export function fillRect(img: Raster, x: number, y: number, w: number, h: number, c: Rgb): void {
  // Whole pixels only: centred text can land on half-pixel positions.
  x = Math.round(x);
  y = Math.round(y);
  for (let yy = Math.max(0, y); yy < Math.min(img.height, y + h); yy++)
    for (let xx = Math.max(0, x); xx < Math.min(img.width, x + w); xx++) {
      const o = (yy * img.width + xx) * 4;
      img.rgba[o] = c[0];
      img.rgba[o + 1] = c[1];
      img.rgba[o + 2] = c[2];
      img.rgba[o + 3] = 255;
    }
}

/** Width in pixels of `text` drawn at `scale` (no trailing gap). */
export function textWidth(text: string, scale: number): number {
  return text.length ? (text.length * ADV - 1) * scale : 0;
}

/** Draws `text` with its top-left corner at (x, y); unknown characters draw as "?". */
export function drawText(img: Raster, text: string, x: number, y: number, scale: number, c: Rgb): void {
  for (let i = 0; i < text.length; i++) {
    const g = FONT[text[i].toUpperCase()] ?? FONT["?"];
    for (let row = 0; row < 7; row++)
      for (let col = 0; col < 5; col++)
        if (g[row] & (0x10 >> col)) fillRect(img, x + (i * ADV + col) * scale, y + row * scale, scale, scale, c);
  }
}

/** Heat colour for a share in [0, 1]: near-white to dark blue (like matplotlib's "Blues"). */
export function heatColor(share: number): Rgb {
  const t = Math.min(1, Math.max(0, share));
  const lo: Rgb = [247, 251, 255];
  const hi: Rgb = [8, 48, 107];
  return [0, 1, 2].map((i) => Math.round(lo[i] + (hi[i] - lo[i]) * t)) as unknown as Rgb;
}

export interface ConfusionPngOptions {
  /** Drawn on top, e.g. "Transformer". */
  title?: string;
  classNames?: readonly string[];
  /** Pixel size of one font unit. Default 2. */
  scale?: number;
}

export interface ConfusionRender extends Raster {
  /** Pixel rectangle of each cell [true][predicted], for tests and hit-testing. */
  cells: { x: number; y: number; w: number; h: number }[][];
}

/**
 * Renders `cm` (counts, rows true / columns predicted) as a heatmap: cell colour = row share,
 * text = count and share in percent. Rows with no samples are drawn at share 0.
 */
export function renderConfusionMatrix(
  cm: readonly (readonly number[])[],
  options: ConfusionPngOptions = {},
): ConfusionRender {
  const k = cm.length;
  const names = options.classNames ?? CLASS_NAMES;
  const s = options.scale ?? 2;
  const pad = 6 * s;
  const maxName = Math.max(...names.slice(0, k).map((n) => n.length), "TRUE".length);
  const cellW =
    Math.max(textWidth("STRONG_SELL", s), textWidth(String(Math.max(...cm.flat())), s), textWidth("100.0%", s)) +
    2 * pad;
  const cellH = 2 * LINE * s + 2 * pad;
  const labelW = maxName * ADV * s + pad;
  const titleH = options.title ? LINE * s * 2 : 0;
  const headH = 2 * LINE * s + pad; // "PREDICTED" and the column names
  const width = pad + labelW + k * cellW + pad;
  const height = pad + titleH + headH + k * cellH + pad;
  const img = createRaster(width, height);
  const ink: Rgb = [20, 20, 20];
  if (options.title) drawText(img, options.title, pad, pad, s, ink);
  const gridX = pad + labelW;
  const gridY = pad + titleH + headH;
  drawText(img, "PREDICTED", gridX + (k * cellW - textWidth("PREDICTED", s)) / 2, pad + titleH, s, ink);
  drawText(img, "TRUE", pad, pad + titleH + LINE * s + pad / 2, s, ink);
  const cells: ConfusionRender["cells"] = [];
  for (let j = 0; j < k; j++) {
    const name = names[j] ?? String(j);
    drawText(
      img,
      name,
      gridX + j * cellW + (cellW - textWidth(name, s)) / 2,
      pad + titleH + LINE * s + pad / 2,
      s,
      ink,
    );
  }
  for (let i = 0; i < k; i++) {
    const total = cm[i].reduce((a, b) => a + b, 0);
    const y = gridY + i * cellH;
    const name = names[i] ?? String(i);
    drawText(img, name, gridX - pad - textWidth(name, s), y + (cellH - 7 * s) / 2, s, ink);
    cells.push([]);
    for (let j = 0; j < k; j++) {
      const share = total > 0 ? cm[i][j] / total : 0;
      const x = gridX + j * cellW;
      fillRect(img, x, y, cellW, cellH, heatColor(share));
      // 1-pixel grid lines keep neighbouring pale cells apart.
      fillRect(img, x, y, cellW, 1, [200, 200, 200]);
      fillRect(img, x, y, 1, cellH, [200, 200, 200]);
      const fg: Rgb = share > 0.5 ? [255, 255, 255] : ink;
      const count = String(cm[i][j]);
      const pctText = `${(share * 100).toFixed(1)}%`;
      drawText(img, count, x + (cellW - textWidth(count, s)) / 2, y + pad, s, fg);
      drawText(img, pctText, x + (cellW - textWidth(pctText, s)) / 2, y + pad + LINE * s, s, fg);
      cells[i].push({ x, y, w: cellW, h: cellH });
    }
  }
  return { ...img, cells };
}

/** PNG bytes of the confusion matrix heatmap (see renderConfusionMatrix). */
export function confusionMatrixPng(cm: readonly (readonly number[])[], options: ConfusionPngOptions = {}): Uint8Array {
  const r = renderConfusionMatrix(cm, options);
  return encodePng(r.rgba, r.width, r.height);
}
