// Pure helpers for a row/column key matrix: hit masks (bit r*cols+c), key names from the
// board file's keys[row][col], and the ghosting rule of a matrix without diodes.

/** the board's key map must match its row and column pins; null if it does */
export function keymapError(keys: string[][], rows: number, cols: number): string | null {
  if (rows < 1 || cols < 1 || rows * cols > 30) return "keypad: 1..30 keys supported";
  if (keys.length !== rows) return "keypad: keys has " + keys.length + " rows, board has " + rows;
  for (var r = 0; r < rows; r++) {
    var row = keys[r]!;
    if (row.length !== cols) return "keypad: keys row " + r + " has " + row.length + " keys, board has " + cols + " columns";
    for (var c = 0; c < cols; c++) if (!row[c]) return "keypad: key " + r + "," + c + " has no name";
  }
  return null;
}

export function keyName(keys: string[][], bit: number, cols: number): string {
  return keys[Math.floor(bit / cols)]![bit % cols]!;
}

/** bit of a key name, or -1 */
export function keyBit(keys: string[][], name: string): number {
  for (var r = 0; r < keys.length; r++) {
    var row = keys[r]!;
    for (var c = 0; c < row.length; c++) if (row[c] === name) return r * row.length + c;
  }
  return -1;
}

export function bitCount(mask: number): number {
  var n = 0;
  while (mask) { mask &= mask - 1; n++; }
  return n;
}

/** lowest set bit index, or -1 */
export function lowestBit(mask: number): number {
  if (!mask) return -1;
  var i = 0;
  while (!(mask & (1 << i))) i++;
  return i;
}

/** Without diodes, three keys at three corners of a rectangle close the fourth corner's
 *  circuit too: the scan then shows all four and cannot tell which three are real. A mask
 *  is ambiguous when two rows share two or more columns. */
export function isAmbiguous(mask: number, rows: number, cols: number): boolean {
  var all = (1 << cols) - 1;
  for (var a = 0; a < rows; a++) {
    var ra = (mask >> (a * cols)) & all;
    if (bitCount(ra) < 2) continue;
    for (var b = a + 1; b < rows; b++) {
      if (bitCount(ra & ((mask >> (b * cols)) & all)) >= 2) return true;
    }
  }
  return false;
}

/** "r1c2 r3c0" for probes and logs */
export function describeHits(mask: number, rows: number, cols: number): string {
  var out = "";
  for (var i = 0; i < rows * cols; i++) {
    if (mask & (1 << i)) out += (out ? " " : "") + "r" + Math.floor(i / cols) + "c" + (i % cols);
  }
  return out;
}
