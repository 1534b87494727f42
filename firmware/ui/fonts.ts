// Our two custom fonts (see font6x8.txt): the 6x8 text font and the 16 px amount digits.
// The same bytes drive the device's Graphics and the simulator's, so text measures the same.
import {
  SMALL_FIRST, SMALL_LAST, SMALL_W, SMALL_H, SMALL_BITMAP_B64,
  BIG_FIRST, BIG_H, BIG_WIDTHS_B64, BIG_BITMAP_B64,
} from "./font-data";

export const CHAR_W = SMALL_W;
export const CHAR_H = SMALL_H;
export const BIG_HEIGHT = BIG_H;
/** the ellipsis glyph (code 127) that marks truncated text */
export const ELLIPSIS = String.fromCharCode(SMALL_LAST);

var smallBitmap: string | undefined;
var bigBitmap: string | undefined;
var bigWidths: string | undefined;

/** decoded once on first use (atob is native on Espruino) */
function loadBig(): void {
  if (bigWidths === undefined) {
    bigWidths = atob(BIG_WIDTHS_B64);
    bigBitmap = atob(BIG_BITMAP_B64);
  }
}

export function useSmallFont(g: Graphics): void {
  if (smallBitmap === undefined) smallBitmap = atob(SMALL_BITMAP_B64);
  g.setFontCustom(smallBitmap, SMALL_FIRST, SMALL_W, SMALL_H);
}

export function useBigFont(g: Graphics): void {
  loadBig();
  g.setFontCustom(bigBitmap as string, BIG_FIRST, bigWidths as string, BIG_H);
}

/** width in pixels of s in the big font, or -1 if s has a character the big font lacks */
export function bigWidth(s: string): number {
  loadBig();
  var w = 0;
  for (var i = 0; i < s.length; i++) {
    var k = s.charCodeAt(i) - BIG_FIRST;
    var cw = k >= 0 && k < (bigWidths as string).length ? (bigWidths as string).charCodeAt(k) : 0;
    if (cw === 0) return -1;
    w += cw;
  }
  return w;
}

/** width in pixels of s in the small font (fixed pitch) */
export function smallWidth(s: string): number {
  return s.length * SMALL_W;
}
