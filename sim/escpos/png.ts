// PNG rendering of the paper (pngjs): black dots on white, a light margin, and a dashed line
// where the paper was cut. For people; tests use the text rendering.
import { PNG } from "pngjs";
import { Paper } from "./paper";

export function renderPng(paper: Paper, opts?: { scale?: number; margin?: number }): Buffer {
  const scale = (opts && opts.scale) || 1;
  const margin = opts && opts.margin !== undefined ? opts.margin : 16;
  const rows = paper.bitmapRows();
  const h = Math.max(paper.height, 1);
  const W = (paper.width + 2 * margin) * scale, H = (h + 2 * margin) * scale;
  const png = new PNG({ width: W, height: H });
  const cutRows = new Set<number>();
  for (const e of paper.entries) if (e.kind === "cut") cutRows.add(e.y);
  for (let Y = 0; Y < H; Y++) {
    const y = Math.floor(Y / scale) - margin;
    for (let X = 0; X < W; X++) {
      const x = Math.floor(X / scale) - margin;
      let v = 255;
      if (x < 0 || x >= paper.width || y < 0 || y >= h) v = 230;
      else if (rows[y] && rows[y]![x]) v = 0;
      else if (cutRows.has(y) && ((x >> 3) & 1) === 0) v = 160;
      const i = (Y * W + X) * 4;
      png.data[i] = v; png.data[i + 1] = v; png.data[i + 2] = v; png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}
