// Reads the text back off the panel: what the scenario runner's expectScreen checks is what
// reached the glass (the virtual SSD1306's RAM), not what the firmware meant to draw. The
// screen toolkit draws the 6x8 font (firmware/ui/font-data.ts) on known rows: the inverted
// title bar at y=1, content lines at y=12+9i, the hint at y=56. Each row is matched column by
// column against the glyphs.
import { SMALL_BITMAP_B64, SMALL_FIRST, SMALL_LAST, SMALL_W, SMALL_H } from "../../firmware/ui/font-data";

export interface Panel {
  width: number; height: number; lit(x: number, y: number): number;
  /** optional: the whole glass at once, 1 byte per pixel, row by row (what lit() returns) */
  pixels?: Uint8Array;
}

const W = SMALL_W, H = SMALL_H;
if (W * H > 52) throw new Error("screen-text: glyph keys need W*H <= 52 bits");

/** glyph columns key (colKey) -> char */
let glyphs: Map<number, string> | null = null;
/** columns that can start a glyph (a cheap filter before the full match) */
const firstColumns = new Set<number>();

/** the W columns of H bits from col[x] as one exact number (6 x 8 bits < 2^53) */
function colKey(col: ArrayLike<number>, x: number): number {
  let k = 0;
  for (let i = 0; i < W; i++) k = k * (1 << H) + col[x + i]!;
  return k;
}

function glyphTable(): Map<number, string> {
  if (glyphs) return glyphs;
  const bits = Buffer.from(SMALL_BITMAP_B64, "base64");
  const bit = (i: number) => (bits[i >> 3]! >> (7 - (i & 7))) & 1;
  glyphs = new Map();
  for (let c = SMALL_FIRST; c < SMALL_LAST; c++) {
    const cols: number[] = [];
    for (let x = 0; x < SMALL_W; x++) {
      let v = 0;
      for (let y = 0; y < SMALL_H; y++) v = (v << 1) | bit(((c - SMALL_FIRST) * SMALL_W + x) * SMALL_H + y);
      cols.push(v);
    }
    if (c === 32) continue; // blank: counted as spacing
    const key = colKey(cols, 0);
    if (!glyphs.has(key)) glyphs.set(key, String.fromCharCode(c));
    firstColumns.add(cols[0]!);
  }
  return glyphs;
}

/** one text row whose glyph tops are at y0; inverted for the title bar */
export function readRow(p: Panel, y0: number, inverted = false): string {
  const table = glyphTable();
  const width = p.width;
  const col = new Array<number>(width).fill(0);
  const px = p.pixels;
  for (let x = 0; x < width; x++) {
    let v = 0;
    for (let y = 0; y < H; y++) {
      const on = y0 + y < p.height ? (px ? px[(y0 + y) * width + x]! : p.lit(x, y0 + y)) : 0;
      v = (v << 1) | ((inverted ? 1 - on : on) & 1);
    }
    col[x] = v;
  }
  let out = "";
  let blank = 0;
  let x = 0;
  while (x < width) {
    if (x + W <= width && firstColumns.has(col[x]!)) {
      const ch = table.get(colKey(col, x));
      if (ch) {
        if (out.length) for (let s = Math.round(blank / W); s > 0; s--) out += " ";
        out += ch;
        blank = 0;
        x += W;
        continue;
      }
    }
    if (col[x] === 0) blank++;
    x++;
  }
  return out;
}

export const TITLE_Y = 1, LINE_Y0 = 12, LINE_PITCH = 9, HINT_Y = 56;

/** the last band of pixels read at each row position, and its text (a screen that changes
 *  one line gets the other lines from here) */
const bandCache = new Map<string, { band: Uint8Array; text: string }>();

function readRowCached(p: Panel, y0: number, inverted = false): string {
  const px = p.pixels;
  if (!px || y0 + H > p.height) return readRow(p, y0, inverted);
  const band = px.subarray(y0 * p.width, (y0 + H) * p.width);
  const key = `${p.width}:${y0}:${inverted}`;
  const hit = bandCache.get(key);
  if (hit && Buffer.compare(hit.band, band) === 0) return hit.text;
  const text = readRow(p, y0, inverted);
  bandCache.set(key, { band: band.slice(), text });
  return text;
}

/** title, the four content lines (empty ones dropped) and the hint, one per line */
export function readScreen(p: Panel): string[] {
  const rows = [readRowCached(p, TITLE_Y, true)];
  for (let i = 0; i < 4; i++) rows.push(readRowCached(p, LINE_Y0 + i * LINE_PITCH));
  rows.push(readRowCached(p, HINT_Y));
  return rows.filter((r) => r.length > 0);
}
