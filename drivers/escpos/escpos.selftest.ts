import { test, eq, eqBytes, ok } from "../selftest/check";
import { EscPosEncoder } from "./encoder";
import { Align, Hri, QrEc } from "../print-doc";
import { StatusReader, applyRealtime, emptyStatus, isRealtimeReply, isAsbStart } from "./status";

test("escpos: init, align, styled line, cut", function () {
  var e = new EscPosEncoder(8);
  e.init().align(Align.Center).bold(true).line("Hi").bold(false).cut();
  eqBytes(e.bytes(), [0x1b, 0x40, 0x1b, 0x74, 0, 0x1b, 0x61, 1, 0x1b, 0x45, 1, 72, 105, 10, 0x1b, 0x45, 0, 0x1d, 0x56, 0], "bytes");
  eq(e.dots, 30, "one line pitch");
});

test("escpos: non-ASCII text prints as '?'", function () {
  var e = new EscPosEncoder();
  e.text("a" + String.fromCharCode(0xe9) + "\n"); // no non-ASCII literal: bundles may re-encode it
  eqBytes(e.bytes(), [97, 63, 63], "replaced");
});

test("escpos: double height line moves 48 dots", function () {
  var e = new EscPosEncoder();
  e.size(2, 2).line("X").size(1, 1).line("y");
  eq(e.dots, 48 + 30, "dots");
  eqBytes(e.bytes().subarray(0, 3), [0x1d, 0x21, 0x11], "GS ! 2x2");
});

test("escpos: CODE128 and QR framing", function () {
  var e = new EscPosEncoder();
  e.barcode128("AB1", 60, 2, Hri.Below);
  var b = e.bytes();
  eqBytes(b.subarray(9, 16), [0x1d, 0x6b, 73, 5, 0x7b, 0x42, 65], "GS k 73 len {B");
  e.reset().qr("abc", 4, QrEc.M);
  b = e.bytes();
  eqBytes(b.subarray(25, 33), [0x1d, 0x28, 0x6b, 6, 0, 0x31, 0x50, 0x30], "store header");
  eq(e.dots, 21 * 4, "version 1 symbol");
});

test("escpos: raster splits into bands with marks", function () {
  var e = new EscPosEncoder();
  var img = new Uint8Array(48 * 10);
  e.raster(48, 10, img);
  eq(e.length, 3 * 8 + 480, "three bands");
  eq(e.markCount(), 3, "a mark per band");
  eq(e.dots, 10, "rows");
});

test("escpos: status reader pairs replies, ASB frames", function () {
  ok(isRealtimeReply(0x12) && isRealtimeReply(0x7e) && !isRealtimeReply(0x10), "realtime mask");
  ok(isAsbStart(0x10) && !isAsbStart(0x12), "asb mask");
  var r = new StatusReader();
  r.requested(4);
  r.requested(2);
  r.feed(String.fromCharCode(0x7e));
  ok(r.status.paperOut && r.status.nearEnd, "paper out + near end");
  r.feed(String.fromCharCode(0x16));
  ok(r.status.coverOpen, "cover open");
  eq(r.openRequests(), 0, "all answered");
  r.feed(String.fromCharCode(0x18, 0, 0x0c, 0x0f));
  ok(r.status.offline && r.status.paperOut && !r.status.coverOpen, "asb");
  var st = emptyStatus();
  applyRealtime(4, 0x12, st);
  ok(!st.paperOut && !st.nearEnd, "paper fine");
});
