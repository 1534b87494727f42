// Text fitting for the 128 px panel in the fixed-pitch 6x8 font (21 characters a line).
// Rules: characters outside ASCII 32-126 show as '?'; a line that is too long is cut and
// ends with the ellipsis glyph; wrapping breaks at spaces, and splits words longer than a line.
import { ELLIPSIS } from "./fonts";

export const SCREEN_W = 128;
export const SCREEN_H = 64;
export const LINE_CHARS = 21;

/** replace anything the font cannot draw (control codes, 8-bit) with '?' */
export function sanitize(s: string): string {
  var out = "";
  for (var i = 0; i < s.length; i++) {
    var c = s.charCodeAt(i);
    out += c >= 32 && c <= 126 ? s.charAt(i) : "?";
  }
  return out;
}

/** s cut to at most max characters; a cut line ends with the ellipsis */
export function truncate(s: string, max: number): string {
  s = sanitize(s);
  if (s.length <= max) return s;
  if (max <= 0) return "";
  return s.substr(0, max - 1) + ELLIPSIS;
}

/** word-wrap into at most maxLines lines of at most max characters */
export function wrap(s: string, max: number, maxLines: number): string[] {
  s = sanitize(s);
  var lines: string[] = [];
  var line = "";
  var i = 0;
  while (i < s.length) {
    while (i < s.length && s.charAt(i) === " ") i++;
    var j = i;
    while (j < s.length && s.charAt(j) !== " ") j++;
    if (j === i) break;
    var word = s.substring(i, j);
    i = j;
    while (word.length > 0) {
      var room = line.length === 0 ? max : max - line.length - 1;
      if (word.length <= room) {
        line = line.length === 0 ? word : line + " " + word;
        word = "";
      } else if (line.length === 0) {
        lines.push(word.substr(0, max)); // a word longer than a line is split
        word = word.substr(max);
      } else {
        lines.push(line);
        line = "";
      }
    }
  }
  if (line.length > 0) lines.push(line);
  if (lines.length > maxLines) {
    var kept = lines.slice(0, maxLines);
    var last = kept[maxLines - 1] as string;
    kept[maxLines - 1] = (last.length >= max ? last.substr(0, max - 1) : last) + ELLIPSIS;
    return kept;
  }
  return lines;
}

/** x that centres a text of w pixels */
export function centreX(w: number): number {
  return w >= SCREEN_W ? 0 : Math.floor((SCREEN_W - w) / 2);
}
