// Amounts are integers in minor units (cents) everywhere. Formatting and parsing never go
// through floating point: Espruino prints and rounds floats differently from Node.

/** Largest amount the terminal accepts: 9,999,999.99 fits DE 4 (n12) and the display. */
export const MAX_AMOUNT = 999999999;

function pad2(n: number): string {
  return n < 10 ? "0" + n : "" + n;
}

/** 123456 -> "1,234.56"; negative amounts get a leading "-". */
export function formatAmount(minor: number): string {
  var neg = minor < 0;
  var v = neg ? -minor : minor;
  var units = Math.floor(v / 100);
  var cents = v - units * 100;
  var s = "" + units;
  var out = "";
  while (s.length > 3) {
    out = "," + s.substr(s.length - 3) + out;
    s = s.substr(0, s.length - 3);
  }
  return (neg ? "-" : "") + s + out + "." + pad2(cents);
}

/** Keypad amount entry: digits typed so far ("" / "1234") -> minor units, or -1 if invalid. */
export function parseDigits(digits: string): number {
  if (digits.length === 0 || digits.length > 9) return -1;
  var v = 0;
  for (var i = 0; i < digits.length; i++) {
    var c = digits.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Zero-padded decimal of a fixed width, e.g. for ISO 8583 n12 and 6-digit serials. */
export function zeroPad(n: number, width: number): string {
  var s = "" + n;
  while (s.length < width) s = "0" + s;
  return s;
}
