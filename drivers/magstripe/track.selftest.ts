import { test, eq, ok } from "../selftest/check";
import { decodeTrack } from "./track";
import { encodeTrack } from "./encode";
import { emptyFields, luhnOk, parseTrack1, parseTrack2 } from "./fields";

var T2 = ";4111111111111111=3012101000020000831?";

test("track: worked example bits (SS then '4') and LRC", function () {
  var bits = encodeTrack(";4111111111111111=1803101000020000831?", 2, 0, 0);
  var head = "";
  for (var i = 0; i < 10; i++) head += bits[i];
  eq(head, "1101000100", "first bits");
  eq(bits.length, 195, "bits");
  var lrc = 0;
  for (var j = 0; j < 4; j++) lrc |= bits[190 + j]! << j;
  eq(lrc, 0xe, "LRC");
});

test("track: decode forward and reversed, reject a flipped bit", function () {
  var bits = encodeTrack(T2, 2, 20, 20);
  var d = decodeTrack(bits, bits.length, 2);
  eq(d.reason, "ok", "forward");
  eq(d.text, T2, "text");
  var rev = new Uint8Array(bits.length);
  for (var i = 0; i < bits.length; i++) rev[i] = bits[bits.length - 1 - i]!;
  d = decodeTrack(rev, rev.length, 2);
  eq(d.reason, "ok", "reverse");
  ok(d.reversed, "reversed flag");
  bits[57] = bits[57] ? 0 : 1;
  eq(decodeTrack(bits, bits.length, 2).reason, "parity", "flipped bit");
});

test("track: fields, Luhn and format errors", function () {
  var f = emptyFields();
  eq(parseTrack2(T2, f), "ok", "t2");
  eq(f.pan + " " + f.expiry + " " + f.serviceCode, "4111111111111111 3012 101", "t2 fields");
  f = emptyFields();
  eq(parseTrack1("%B4111111111111111^CARDUSER/JOHN^3012101000000000020000831000000?", f), "ok", "t1");
  eq(f.name, "CARDUSER/JOHN", "name");
  ok(luhnOk("378282246310005"), "amex luhn");
  eq(parseTrack2(";4111111111111112=3012101?", emptyFields()), "bad_pan", "luhn");
  eq(parseTrack2(";4111111111111111=3013101?", emptyFields()), "bad_expiry", "month");
});
