// PNG rendering of the paper (pngjs): black dots on white, a light margin, and a dashed line
// where the paper was cut. For people; tests use the text rendering.
import { PNG } from "pngjs";
import { Paper } from "./paper";

/** the largest PNG drawn (pixels; 4 bytes each while drawing): 2 m of 58 mm paper at scale 1 */
export const MAX_PNG_PIXELS = 8_000_000;

export interface PngOptions {
  scale?: number;
  margin?: number;
  /** when the paper is too long for MAX_PNG_PIXELS even at scale 1: keep its "head" (default)
   *  or its "tail" (the latest receipt of a long session) */
  keep?: "head" | "tail";
  /** why the PNG is smaller than asked (scale lowered, paper cropped) */
  warn?: (msg: string) => void;
  maxPixels?: number;
}

export function renderPng(paper: Paper, opts?: PngOptions): Buffer {
  const o = opts || {};
  const asked = o.scale || 1;
  const margin = o.margin !== undefined ? o.margin : 16;
  const maxPixels = o.maxPixels || MAX_PNG_PIXELS;
  const rows = paper.bitmapRows();
  const full = Math.max(paper.height, 1);
  const pixels = (s: number, h: number) => (paper.width + 2 * margin) * s * (h + 2 * margin) * s;
  let scale = asked;
  while (scale > 1 && pixels(scale, full) > maxPixels) scale--;
  if (scale < asked && o.warn) o.warn("PNG scale " + asked + " lowered to " + scale + " (" + full + " dot rows of paper; at most " + maxPixels + " pixels)");
  let h = full, first = 0;
  if (pixels(1, full) > maxPixels) {
    h = Math.max(1, Math.floor(maxPixels / (paper.width + 2 * margin)) - 2 * margin);
    if (o.keep === "tail") first = full - h;
    if (o.warn) o.warn("PNG shows " + (o.keep === "tail" ? "the last " : "the first ") + (h / 8).toFixed(0) + " mm of " + (full / 8).toFixed(0) + " mm of paper");
  }
  const W = (paper.width + 2 * margin) * scale, H = (h + 2 * margin) * scale;
  const png = new PNG({ width: W, height: H });
  const cutRows = new Set<number>();
  for (const e of paper.entries) if (e.kind === "cut") cutRows.add(e.y - first);
  for (let Y = 0; Y < H; Y++) {
    const y = Math.floor(Y / scale) - margin;
    const row = rows[y + first];
    for (let X = 0; X < W; X++) {
      const x = Math.floor(X / scale) - margin;
      let v = 255;
      if (x < 0 || x >= paper.width || y < 0 || y >= h) v = 230;
      else if (row && row[x]) v = 0;
      else if (cutRows.has(y) && ((x >> 3) & 1) === 0) v = 160;
      const i = (Y * W + X) * 4;
      png.data[i] = v; png.data[i + 1] = v; png.data[i + 2] = v; png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}
