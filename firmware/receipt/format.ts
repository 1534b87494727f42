// Text helpers for 32-column receipts (pure, ASCII, no floats, no regex).
import { zeroPad } from "../util/money";

export const COLUMNS = 32;

function spaces(n: number): string {
  var s = "";
  while (s.length < n) s += " ";
  return s;
}

/** left and right on one line; if they do not fit, the right part goes on its own line */
export function pair(left: string, right: string, width: number): string {
  var gap = width - left.length - right.length;
  if (gap >= 1) return left + spaces(gap) + right;
  return left + "\n" + spaces(width - right.length > 0 ? width - right.length : 0) + right;
}

export function rule(ch: string, width: number): string {
  var s = "";
  while (s.length < width) s += ch;
  return s;
}

/** words wrapped to width (long words are split) */
export function wrap(text: string, width: number): string[] {
  var out: string[] = [];
  var line = "";
  var words = text.split(" ");
  for (var i = 0; i < words.length; i++) {
    var w = words[i]!;
    while (w.length > width) {
      if (line.length) { out.push(line); line = ""; }
      out.push(w.substr(0, width));
      w = w.substr(width);
    }
    if (!w.length) continue;
    if (!line.length) line = w;
    else if (line.length + 1 + w.length <= width) line += " " + w;
    else { out.push(line); line = w; }
  }
  if (line.length) out.push(line);
  return out;
}

/** days since 1970-01-01 -> [year, month, day] (Howard Hinnant's civil_from_days, integers) */
function civil(days: number): number[] {
  var z = days + 719468;
  var era = Math.floor(z / 146097);
  var doe = z - era * 146097;
  var yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  var doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  var mp = Math.floor((5 * doy + 2) / 153);
  var d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  var m = mp < 10 ? mp + 3 : mp - 9;
  var y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return [y, m, d];
}

/** unix seconds (local time already applied) -> ["2026-11-26", "14:05:09"]; a string is
 *  taken as "date time" already formatted */
export function dateTime(t: number | string): string[] {
  if (typeof t === "string") {
    var sp = t.indexOf(" ");
    return sp < 0 ? [t, ""] : [t.substr(0, sp), t.substr(sp + 1)];
  }
  var secs = Math.floor(t);
  var days = Math.floor(secs / 86400);
  var rem = secs - days * 86400;
  var c = civil(days);
  var h = Math.floor(rem / 3600), mi = Math.floor((rem - h * 3600) / 60), s = rem - h * 3600 - mi * 60;
  return [c[0] + "-" + zeroPad(c[1]!, 2) + "-" + zeroPad(c[2]!, 2), zeroPad(h, 2) + ":" + zeroPad(mi, 2) + ":" + zeroPad(s, 2)];
}

