import { test, eq, ok } from "../../drivers/selftest/check";
import { toHex, fromHex, hmacSha256 } from "./hmac";
import { validPinFormat, sameHash, PinLock, MAX_FAILS, LOCK_SECONDS } from "./pin";

test("app: hex round trip", function () {
  eq(toHex("\x00\x7f\xff"), "007fff", "toHex");
  eq(fromHex("007FFF"), "\x00\x7f\xff", "fromHex");
  eq(fromHex("0g"), "", "bad hex");
});

test("app: PIN format and constant-time compare", function () {
  ok(validPinFormat("1234"), "4 digits");
  ok(!validPinFormat("123"), "too short");
  ok(!validPinFormat("12a4"), "letter");
  ok(sameHash("abcd", "abcd") && !sameHash("abcd", "abce") && !sameHash("ab", "abc"), "compare");
});

test("app: PIN lock window", function () {
  var l = new PinLock(0, 100);
  eq(l.remaining(MAX_FAILS - 1, 100), 0, "not locked below the limit");
  l.failed(MAX_FAILS, 100);
  eq(l.remaining(MAX_FAILS, 101), LOCK_SECONDS - 1, "locked");
  eq(l.remaining(MAX_FAILS, 100 + LOCK_SECONDS), 0, "unlocked after the window");
  eq(new PinLock(MAX_FAILS, 50).remaining(MAX_FAILS, 50), LOCK_SECONDS, "a reboot restarts the lock");
});

test("app: HMAC-SHA256 (RFC 4231 case 2) on the platform SHA-256", function () {
  var c: any = null;
  try { c = require("crypto") as any; } catch (e) { c = null; }
  if (!c || typeof c.SHA256 !== "function") return; // Node without the simulator's crypto
  var sha = function (s: string): string {
    var b = new Uint8Array(c.SHA256(s));
    var o = "";
    for (var i = 0; i < b.length; i++) o += String.fromCharCode(b[i]!);
    return o;
  };
  eq(toHex(hmacSha256(sha, "Jefe", "what do ya want for nothing?")), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", "mac");
});
