// 1D barcode symbologies as module patterns (true = bar), for the virtual printer's PNG,
// plus the human-readable text of the data. CODE128 (with ESC/POS "{A/{B/{C" code-set
// prefixes), CODE39 and EAN13/UPC-A are drawn; others get a placeholder pattern.

// CODE128 bar/space widths of symbol values 0..105; stop is 2331112
const C128 = (
  "212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 112232 122132 122231 113222 " +
  "123122 123221 223211 221132 221231 213212 223112 312131 311222 321122 321221 312212 322112 322211 212123 212321 " +
  "232121 111323 131123 131321 112313 132113 132311 211313 231113 231311 112133 112331 132131 113123 113321 133121 " +
  "313121 211331 231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 314111 221411 431111 111224 " +
  "111422 121124 121421 141122 141221 112214 112412 122114 122411 142112 142211 241211 221114 413111 241112 134111 " +
  "111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 214121 412121 111143 111341 131141 114113 " +
  "114311 411113 411311 113141 114131 311141 411131 211412 211214 211232"
).split(" ");
const C128_STOP = "2331112";

function widthsToModules(w: string, out: boolean[]): void {
  for (let i = 0; i < w.length; i++) {
    const n = w.charCodeAt(i) - 48;
    for (let k = 0; k < n; k++) out.push(i % 2 === 0);
  }
}

export interface Decoded { text: string; values: number[] }

/** ESC/POS CODE128 data ("{B" + text, "{C" + digit pairs as bytes, "{{" for "{") into
 *  symbol values (start code first) and readable text */
export function decodeCode128(data: number[]): Decoded {
  const values: number[] = [];
  let set = 1; // 0 = A, 1 = B, 2 = C
  let text = "";
  let i = 0;
  const startFor = (s: number) => 103 + s;
  if (data.length >= 2 && data[0] === 0x7b && data[1]! >= 0x41 && data[1]! <= 0x43) {
    set = data[1]! - 0x41;
    i = 2;
  }
  values.push(startFor(set));
  for (; i < data.length; i++) {
    const b = data[i]!;
    if (b === 0x7b && i + 1 < data.length) {
      const n = data[++i]!;
      if (n === 0x7b) { values.push(set === 2 ? 0 : 91); text += "{"; continue; }
      if (n >= 0x41 && n <= 0x43) {
        const ns = n - 0x41;
        values.push(ns === 0 ? 101 : ns === 1 ? 100 : 99);
        set = ns;
        continue;
      }
      if (n === 0x31) { values.push(102); continue; } // FNC1
      if (n === 0x53) { values.push(98); continue; } // SHIFT
      continue; // FNC2..4: not needed for the text
    }
    if (set === 2) {
      values.push(b % 100);
      text += (b < 10 ? "0" : "") + b;
    } else if (set === 1) {
      values.push((b - 32) & 127);
      text += String.fromCharCode(b);
    } else {
      values.push(b < 32 ? b + 64 : b - 32);
      text += b >= 32 ? String.fromCharCode(b) : "?";
    }
  }
  return { text, values };
}

export function code128Modules(values: number[]): boolean[] {
  let sum = values[0]!;
  for (let i = 1; i < values.length; i++) sum += values[i]! * i;
  const out: boolean[] = [];
  for (const v of values) widthsToModules(C128[v] ?? C128[0]!, out);
  widthsToModules(C128[sum % 103]!, out);
  widthsToModules(C128_STOP, out);
  return out;
}

// CODE39: 9 elements (bar, space, ...), a set bit = wide
const C39_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. *$/+%";
const C39 = [
  0x034, 0x121, 0x061, 0x160, 0x031, 0x130, 0x070, 0x025, 0x124, 0x064, 0x109, 0x049, 0x148, 0x019, 0x118, 0x058,
  0x00d, 0x10c, 0x04c, 0x01c, 0x103, 0x043, 0x142, 0x013, 0x112, 0x052, 0x007, 0x106, 0x046, 0x016, 0x181, 0x0c1,
  0x1c0, 0x091, 0x190, 0x0d0, 0x085, 0x184, 0x0c4, 0x094, 0x0a8, 0x0a2, 0x08a, 0x02a,
];

export function code39Modules(text: string): boolean[] {
  const out: boolean[] = [];
  const t = "*" + text.split("*").join("") + "*";
  for (let i = 0; i < t.length; i++) {
    const idx = C39_CHARS.indexOf(t[i]!);
    const p = C39[idx < 0 ? C39_CHARS.indexOf("-") : idx]!;
    for (let e = 0; e < 9; e++) {
      const wide = (p >> (8 - e)) & 1;
      for (let k = 0; k < (wide ? 3 : 1); k++) out.push(e % 2 === 0);
    }
    out.push(false); // inter-character gap
  }
  return out;
}

const EAN_L = ["0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011"];
const EAN_PARITY = ["LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"];

function eanDigit(d: number, kind: string): string {
  const l = EAN_L[d]!;
  let r = "";
  for (let i = 0; i < 7; i++) r += l[i] === "1" ? "0" : "1";
  if (kind === "L") return l;
  if (kind === "R") return r;
  return r.split("").reverse().join(""); // G
}

export function ean13CheckDigit(d12: string): number {
  let s = 0;
  for (let i = 0; i < 12; i++) s += (d12.charCodeAt(i) - 48) * (i % 2 ? 3 : 1);
  return (10 - (s % 10)) % 10;
}

/** 12 or 13 digits (the printer computes the check digit from the first 12) */
export function ean13Modules(digits: string): { modules: boolean[]; text: string } {
  let d = "";
  for (let i = 0; i < digits.length && d.length < 12; i++) {
    const c = digits.charCodeAt(i);
    if (c >= 48 && c <= 57) d += digits[i];
  }
  while (d.length < 12) d = "0" + d;
  d += ean13CheckDigit(d);
  const par = EAN_PARITY[d.charCodeAt(0) - 48]!;
  let bits = "101";
  for (let i = 1; i <= 6; i++) bits += eanDigit(d.charCodeAt(i) - 48, par[i - 1]!);
  bits += "01010";
  for (let i = 7; i <= 12; i++) bits += eanDigit(d.charCodeAt(i) - 48, "R");
  bits += "101";
  return { modules: bits.split("").map((b) => b === "1"), text: d };
}

/** a stand-in pattern for symbologies the virtual printer does not draw exactly */
export function placeholderModules(text: string): boolean[] {
  const out: boolean[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    for (let k = 0; k < 8; k++) out.push(((c >> k) & 1) === 1 || k === 0);
    out.push(false);
  }
  return out;
}
