// Card fields from decoded track text (pure): PAN, expiry, service code, name. Track 2 is
// ";PAN=YYMMSSS...?", track 1 format B is "%BPAN^NAME^YYMMSSS...?". The EMV track-2
// equivalent (tag 57) has the same layout with "D" as separator: see parseTrack2Body.
import { TrackReason } from "./track";

export interface CardFields {
  pan: string;
  /** YYMM */
  expiry: string;
  serviceCode: string;
  /** cardholder name (track 1 / tag 5F20), "" if absent */
  name: string;
}

export function emptyFields(): CardFields {
  return { pan: "", expiry: "", serviceCode: "", name: "" };
}

function isDigit(c: number): boolean { return c >= 48 && c <= 57; }

function allDigits(s: string, from: number, to: number): boolean {
  if (to > s.length || from >= to) return false;
  for (var i = from; i < to; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

/** Luhn (mod 10) check over a digit string. */
export function luhnOk(pan: string): boolean {
  if (pan.length < 2) return false;
  var sum = 0, dbl = false;
  for (var i = pan.length - 1; i >= 0; i--) {
    var d = pan.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (dbl) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

/** PAN rules: 12..19 digits, Luhn-valid. */
export function panOk(pan: string): boolean {
  return pan.length >= 12 && pan.length <= 19 && allDigits(pan, 0, pan.length) && luhnOk(pan);
}

/** Expiry YYMM + service code from s at p (7 digits, month 01..12). */
function expiryAndService(s: string, p: number, out: CardFields): TrackReason {
  if (!allDigits(s, p, p + 4)) return "bad_expiry";
  var month = (s.charCodeAt(p + 2) - 48) * 10 + (s.charCodeAt(p + 3) - 48);
  if (month < 1 || month > 12) return "bad_expiry";
  if (!allDigits(s, p + 4, p + 7)) return "bad_service";
  out.expiry = s.substr(p, 4);
  out.serviceCode = s.substr(p + 4, 3);
  return "ok";
}

/** "PAN<sep>YYMMSSS..." (track 2 without sentinels, or tag 57 as hex with sep "D"). */
export function parseTrack2Body(s: string, sep: string, out: CardFields): TrackReason {
  var i = s.indexOf(sep);
  if (i < 0) return "bad_format";
  var pan = s.substr(0, i);
  if (!panOk(pan)) return "bad_pan";
  var r = expiryAndService(s, i + 1, out);
  if (r !== "ok") return r;
  out.pan = pan;
  return "ok";
}

/** ";PAN=YYMMSSS...?" */
export function parseTrack2(text: string, out: CardFields): TrackReason {
  var n = text.length;
  if (n < 3 || text.charAt(0) !== ";" || text.charAt(n - 1) !== "?") return "bad_format";
  return parseTrack2Body(text.substr(1, n - 2), "=", out);
}

/** "%BPAN^SURNAME/FIRST^YYMMSSS...?" (format code B only) */
export function parseTrack1(text: string, out: CardFields): TrackReason {
  var n = text.length;
  if (n < 4 || text.charAt(0) !== "%" || text.charAt(n - 1) !== "?" || text.charAt(1) !== "B") return "bad_format";
  var a = text.indexOf("^", 2);
  if (a < 0) return "bad_format";
  var b = text.indexOf("^", a + 1);
  if (b < 0) return "bad_format";
  var pan = text.substr(2, a - 2);
  if (!panOk(pan)) return "bad_pan";
  var nameLen = b - a - 1;
  if (nameLen < 2 || nameLen > 26) return "bad_format";
  var r = expiryAndService(text, b + 1, out);
  if (r !== "ok") return r;
  out.pan = pan;
  out.name = trimRight(text.substr(a + 1, nameLen));
  return "ok";
}

function trimRight(s: string): string {
  var e = s.length;
  while (e > 0 && s.charAt(e - 1) === " ") e--;
  return s.substr(0, e);
}

/** Parses decoded text of the given track. */
export function parseTrack(text: string, track: number, out: CardFields): TrackReason {
  return track === 1 ? parseTrack1(text, out) : parseTrack2(text, out);
}
