import { test, eq, ok, eqBytes } from "../selftest/check";
import { pageString, stringDiffRange, planWindows, planCost, windowCost } from "./frame-diff";
import { initSequence } from "./commands";

function frames(): { a: Uint8Array; b: Uint8Array; r: Int16Array } {
  return { a: new Uint8Array(1024), b: new Uint8Array(1024), r: new Int16Array(16) };
}

/** what the driver does: each page as a string, compared with the old one */
function dirtyRanges(cur: Uint8Array, prev: Uint8Array, out: Int16Array): void {
  for (var p = 0; p < 8; p++) stringDiffRange(pageString(prev, 128, p), pageString(cur, 128, p), out, 2 * p);
}

test("ssd1306: dirty ranges per page", function () {
  var f = frames();
  f.b[3 * 128 + 10] = 1;
  f.b[3 * 128 + 20] = 1;
  dirtyRanges(f.b, f.a, f.r);
  eq(f.r[6], 10, "first column");
  eq(f.r[7], 20, "last column");
  eq(f.r[0], -1, "clean page");
  eq(pageString(f.b, 128, 3).length, 128, "page string length");
  var out = new Int16Array(2);
  for (var i = 0; i < 128; i += 31) {
    for (var j = i; j < 128; j += 37) {
      var a = new Uint8Array(128), b = new Uint8Array(128);
      b[i] = 0xff; b[j] = 0x80;
      stringDiffRange(pageString(a, 128, 0), pageString(b, 128, 0), out, 0);
      if (out[0] !== i || out[1] !== j) eq(out[0] + "," + out[1], i + "," + j, "range");
    }
  }
  stringDiffRange("abc", "abc", out, 0);
  eq(out[0], -1, "equal strings");
});

test("ssd1306: plan picks windows, merges neighbours, and a full frame when all changed", function () {
  var f = frames();
  f.b[2 * 128 + 50] = 1;
  f.b[3 * 128 + 52] = 1;
  dirtyRanges(f.b, f.a, f.r);
  var p = planWindows(f.r, 8, 64);
  eq(p.length, 1, "neighbouring pages share a window");
  eq(p[0]!.c0, 50, "c0"); eq(p[0]!.c1, 52, "c1"); eq(p[0]!.p0, 2, "p0"); eq(p[0]!.p1, 3, "p1");
  f.b[7 * 128 + 0] = 1;
  dirtyRanges(f.b, f.a, f.r);
  p = planWindows(f.r, 8, 64);
  eq(p.length, 2, "far pages get their own window");
  for (var i = 0; i < 1024; i++) f.b[i] = 0xff;
  dirtyRanges(f.b, f.a, f.r);
  p = planWindows(f.r, 8, 64);
  eq(p.length, 1, "one window");
  eq(planCost(p, 64), windowCost(1024, 64), "full frame cost");
  ok(planCost(p, 64) < 1024 + 8 * 2 * 8 + 8 * 8, "cheaper than 8 page windows");
});

test("ssd1306: init sequence ends with display on and sets the charge pump", function () {
  var s = initSequence(128, 64, 0xcf);
  eq(s[0], 0xae, "starts off");
  eq(s[s.length - 1], 0xaf, "ends on");
  var found = false;
  for (var i = 0; i < s.length - 1; i++) if (s[i] === 0x8d && s[i + 1] === 0x14) found = true;
  ok(found, "charge pump enabled");
  eqBytes(initSequence(128, 32, 1).subarray(3, 5), [0xa8, 31], "multiplex for 32 rows");
});
