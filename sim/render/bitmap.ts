// Rendering of 1-bit (or grey) pixel grids for golden text fixtures and PNGs for people.
// Shared by the virtual display and anyone else with a bitmap (printer paper, logos).
import { PNG } from "pngjs";

export interface Bitmap {
  readonly width: number;
  readonly height: number;
  /** 0 = dark, 1 = lit (fractions allowed for PNG brightness) */
  get(x: number, y: number): number;
}

export type TextStyle = "ascii" | "halfblock";

/** '#' lit / '.' dark, one line per pixel row; or Unicode half blocks, two rows per line */
export function bitmapToText(bm: Bitmap, style: TextStyle = "ascii"): string {
  const lines: string[] = [];
  if (style === "ascii") {
    for (let y = 0; y < bm.height; y++) {
      let s = "";
      for (let x = 0; x < bm.width; x++) s += bm.get(x, y) > 0 ? "#" : ".";
      lines.push(s);
    }
  } else {
    for (let y = 0; y < bm.height; y += 2) {
      let s = "";
      for (let x = 0; x < bm.width; x++) {
        const top = bm.get(x, y) > 0, bot = y + 1 < bm.height && bm.get(x, y + 1) > 0;
        s += top ? (bot ? "\u2588" : "\u2580") : bot ? "\u2584" : " ";
      }
      lines.push(s.replace(/\s+$/, ""));
    }
  }
  return lines.join("\n") + "\n";
}

/** parse the ascii form back (golden fixtures) */
export function textToBitmap(text: string): Bitmap {
  const rows = text.split("\n").filter((l) => l.length > 0);
  const width = rows.reduce((m, r) => Math.max(m, r.length), 0);
  return { width, height: rows.length, get: (x, y) => (rows[y]![x] === "#" ? 1 : 0) };
}

export interface PngOptions {
  /** pixels per panel pixel (default 4) */
  scale?: number;
  /** lit colour; default white. "blue" gives the common blue OLED look */
  colour?: "white" | "blue" | "yellow" | [number, number, number];
  background?: [number, number, number];
  /** 0..1 overall brightness (contrast setting) */
  brightness?: number;
  /** 1 px dark gap between panel pixels when scale >= 3, like the real matrix */
  grid?: boolean;
}

const COLOURS: { [k: string]: [number, number, number] } = {
  white: [235, 240, 255], blue: [90, 200, 255], yellow: [255, 220, 60],
};

export function bitmapToPng(bm: Bitmap, opts: PngOptions = {}): Buffer {
  const scale = opts.scale ?? 4;
  const fg = Array.isArray(opts.colour) ? opts.colour : COLOURS[opts.colour ?? "white"]!;
  const bg = opts.background ?? [8, 8, 12];
  const bright = Math.max(0, Math.min(1, opts.brightness ?? 1));
  const grid = (opts.grid ?? true) && scale >= 3;
  const png = new PNG({ width: bm.width * scale, height: bm.height * scale });
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const px = Math.floor(x / scale), py = Math.floor(y / scale);
      const gap = grid && (x % scale === scale - 1 || y % scale === scale - 1);
      const v = gap ? 0 : bm.get(px, py) * bright;
      const i = (y * png.width + x) * 4;
      for (let c = 0; c < 3; c++) png.data[i + c] = Math.round(bg[c]! + (fg[c]! - bg[c]!) * v);
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}
