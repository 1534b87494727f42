// Which parts of a frame to send. The panel RAM is 8 pages of 128 column bytes (the same
// layout as a vertical_byte, msb:false Graphics buffer). We find the changed column range of
// each page (pages compared as strings, natively), then choose windows (column range x page range, horizontal addressing) that
// cover every change for the fewest I2C bytes: one window per page, merged neighbours, or
// one full-screen write, whichever is cheapest.

export interface Window { c0: number; c1: number; p0: number; p1: number; }

/** I2C bytes (address bytes included) to set a window and stream n data bytes in chunks */
export function windowCost(n: number, chunk: number): number {
  // command transaction: address + 0x00 + 21 c0 c1 22 p0 p1 = 8 bytes;
  // each data transaction: address + 0x40 + up to `chunk` bytes
  return 8 + n + 2 * Math.ceil(n / chunk);
}

/** The bytes of page p as an 8-bit string. String.fromCharCode.apply is native on Espruino,
 *  so comparing pages costs no per-byte JS loop (the interpreter runs loops very slowly).
 *  Espruino's Function.apply takes at most 64 arguments: 64-byte slices. */
export function pageString(frame: Uint8Array, width: number, p: number): string {
  var s = "";
  for (var at = p * width, end = at + width; at < end; at += 64) {
    s += String.fromCharCode.apply(null, frame.subarray(at, Math.min(end, at + 64)) as any);
  }
  return s;
}

/** First and last index where two different strings of equal length differ, into
 *  out[at] and out[at+1]: binary searches on native substring compares (about 2*log2(n)
 *  of them) instead of a byte loop. Equal strings give -1, -1. */
export function stringDiffRange(a: string, b: string, out: Int16Array, at: number): void {
  var n = a.length;
  if (a === b) { out[at] = -1; out[at + 1] = -1; return; }
  var lo = 0, hi = n, mid: number; // prefix of length lo is equal, of length hi is not
  while (hi - lo > 1) {
    mid = (lo + hi) >> 1;
    if (a.substr(0, mid) === b.substr(0, mid)) lo = mid; else hi = mid;
  }
  out[at] = lo;
  lo = 0; hi = n; // suffix of length lo is equal, of length hi is not
  while (hi - lo > 1) {
    mid = (lo + hi) >> 1;
    if (a.substr(n - mid) === b.substr(n - mid)) lo = mid; else hi = mid;
  }
  out[at + 1] = n - 1 - lo;
}

/** cheapest set of windows covering the dirty ranges (dynamic programming over pages) */
export function planWindows(ranges: Int16Array, pages: number, chunk: number): Window[] {
  var best: number[] = [0];
  var from: number[] = [0];
  for (var i = 1; i <= pages; i++) {
    var last = i - 1;
    if (ranges[2 * last]! < 0) { best.push(best[last]!); from.push(-1); continue; }
    var bestCost = -1, bestJ = 0;
    var lo = 9999, hi = -1;
    for (var j = last; j >= 0; j--) {
      if (ranges[2 * j]! >= 0) {
        if (ranges[2 * j]! < lo) lo = ranges[2 * j]!;
        if (ranges[2 * j + 1]! > hi) hi = ranges[2 * j + 1]!;
      }
      if (ranges[2 * j]! < 0) continue; // a window starts on a dirty page
      var cost = best[j]! + windowCost((hi - lo + 1) * (i - j), chunk);
      if (bestCost < 0 || cost < bestCost) { bestCost = cost; bestJ = j; }
    }
    best.push(bestCost);
    from.push(bestJ);
  }
  var out: Window[] = [];
  var k = pages;
  while (k > 0) {
    var j2 = from[k]!;
    if (j2 < 0) { k--; continue; }
    var l = 9999, h = -1;
    for (var q = j2; q < k; q++) {
      if (ranges[2 * q]! < 0) continue;
      if (ranges[2 * q]! < l) l = ranges[2 * q]!;
      if (ranges[2 * q + 1]! > h) h = ranges[2 * q + 1]!;
    }
    out.unshift({ c0: l, c1: h, p0: j2, p1: k - 1 });
    k = j2;
  }
  return out;
}

/** I2C bytes a plan costs */
export function planCost(plan: Window[], chunk: number): number {
  var total = 0;
  for (var i = 0; i < plan.length; i++) {
    var w = plan[i]!;
    total += windowCost((w.c1 - w.c0 + 1) * (w.p1 - w.p0 + 1), chunk);
  }
  return total;
}
