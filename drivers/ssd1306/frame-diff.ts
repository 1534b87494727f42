// Which parts of a frame to send. The panel RAM is 8 pages of 128 column bytes (the same
// layout as a vertical_byte, msb:false Graphics buffer). We find the changed column range of
// each page, then choose windows (column range x page range, horizontal addressing) that
// cover every change for the fewest I2C bytes: one window per page, merged neighbours, or
// one full-screen write, whichever is cheapest.

export interface Window { c0: number; c1: number; p0: number; p1: number; }

/** I2C bytes (address bytes included) to set a window and stream n data bytes in chunks */
export function windowCost(n: number, chunk: number): number {
  // command transaction: address + 0x00 + 21 c0 c1 22 p0 p1 = 8 bytes;
  // each data transaction: address + 0x40 + up to `chunk` bytes
  return 8 + n + 2 * Math.ceil(n / chunk);
}

/** For each page p, out[2p] and out[2p+1] get the first and last changed column, or -1.
 *  Only columns c0..c1 of pages p0..p1 are compared (the Graphics modified box). */
export function dirtyRanges(cur: Uint8Array, prev: Uint8Array, width: number, pages: number,
  c0: number, c1: number, p0: number, p1: number, out: Int16Array): void {
  for (var p = 0; p < pages; p++) {
    out[2 * p] = -1;
    out[2 * p + 1] = -1;
    if (p < p0 || p > p1) continue;
    var base = p * width;
    var a = c0;
    while (a <= c1 && cur[base + a] === prev[base + a]) a++;
    if (a > c1) continue;
    var b = c1;
    while (cur[base + b] === prev[base + b]) b--;
    out[2 * p] = a;
    out[2 * p + 1] = b;
  }
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
