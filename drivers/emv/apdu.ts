// EMV contactless data read helpers (pure): AID choice, PDOL filling, AFL walking, card
// fields from tags 57 / 5A / 5F24 / 5F20. No kernel, no cryptogram: card data only.
import { findTag, parseTlv, textOf, Tlv } from "./tlv";
import { toHex } from "../hex";
import { CardFields, panOk, parseTrack2Body } from "../magstripe/fields";

/** AID prefixes we accept, best first when the card gives no priority (87); one string, split
 *  when used (an array of strings stays in RAM: 22 JsVars on Espruino) */
var KNOWN_AIDS = "A0000000031010 A0000000041010 A0000000032010 A0000000043060 A0000000651010 A000000025 A000000333";

function knownRank(aid: string): number {
  var known = KNOWN_AIDS.split(" ");
  // a prefix by substr: Espruino 2v29's indexOf can match a needle running past the string's end
  for (var i = 0; i < known.length; i++) if (aid.substr(0, known[i]!.length) === known[i]) return i;
  return -1;
}

/** From a PPSE reply (6F > A5 > BF0C > 61*), the payment AID to select, or "" */
export function chooseAid(rsp: Uint8Array, len: number): string {
  var r = parseTlv(rsp, 0, len);
  if (r.err) return "";
  var dir = findTag(r.nodes, 0xbf0c);
  if (!dir || !dir.children) return "";
  var best = "", bestPrio = 999;
  for (var i = 0; i < dir.children.length; i++) {
    var e = dir.children[i]!;
    if (e.tag !== 0x61) continue;
    var a = findTag(e.children, 0x4f);
    if (!a || a.len < 5 || a.len > 16) continue;
    var aid = toHex(rsp, a.start, a.len);
    var k = knownRank(aid);
    if (k < 0) continue;
    var p = findTag(e.children, 0x87);
    // lower 87 value wins (low nibble is the priority); without one, known-AID order
    var prio = p && p.len === 1 ? (rsp[p.start]! & 0x0f) * 16 + k : 240 + k;
    if (prio < bestPrio) { bestPrio = prio; best = aid; }
  }
  return best;
}

export interface Terminal {
  /** minor units */
  amount: number;
  /** "YYMMDD" */
  date: string;
  /** 4 random bytes */
  unpredictable: number;
  country: number;
  currency: number;
}

/** writes `digits` (numeric, right-aligned BCD) into out at p, n bytes */
function putBcd(out: Uint8Array, p: number, n: number, value: number): void {
  for (var i = n - 1; i >= 0; i--) {
    var lo = value % 10; value = (value - lo) / 10;
    var hi = value % 10; value = (value - hi) / 10;
    out[p + i] = hi * 16 + lo;
  }
}

/** Fills a PDOL (tag/length list) with sane terminal values; unknown tags are zeros. */
export function fillPdol(dol: Uint8Array, start: number, len: number, t: Terminal): Uint8Array | null {
  var tags: number[] = [], lens: number[] = [], total = 0;
  var p = start, end = start + len;
  while (p < end) {
    var tag = dol[p++]!;
    if ((tag & 0x1f) === 0x1f) {
      if (p >= end) return null;
      var b = dol[p++]!;
      tag = tag * 256 + b;
      if (b & 0x80) { if (p >= end) return null; tag = tag * 256 + dol[p++]!; }
    }
    if (p >= end) return null;
    var l = dol[p++]!;
    if (l > 0x7f) return null;
    tags.push(tag); lens.push(l); total += l;
    if (total > 250) return null;
  }
  var out = new Uint8Array(total);
  var q = 0;
  for (var i = 0; i < tags.length; i++) {
    var n = lens[i]!;
    var tg = tags[i]!;
    if (tg === 0x9f66 && n === 4) { out[q] = 0x26; } // TTQ: contactless EMV + online capable
    else if (tg === 0x9f02) putBcd(out, q, n, t.amount);
    else if (tg === 0x9f1a) putBcd(out, q, n, t.country);
    else if (tg === 0x5f2a) putBcd(out, q, n, t.currency);
    else if (tg === 0x9a && n === 3) { for (var d = 0; d < 3; d++) out[q + d] = (t.date.charCodeAt(2 * d) - 48) * 16 + (t.date.charCodeAt(2 * d + 1) - 48); }
    else if (tg === 0x9f37) { var u = t.unpredictable; for (var k = n - 1; k >= 0; k--) { out[q + k] = u & 0xff; u = u >>> 8; } }
    // 9C transaction type 00 (goods), 95 TVR zeros, 9F03 other amount zero: zeros already
    q += n;
  }
  return out;
}

/** GET PROCESSING OPTIONS: 80 A8 00 00 Lc 83 L <PDOL data> 00 (L as 81 nn past 127). */
export function gpoCommand(pdol: Uint8Array): Uint8Array {
  var n = pdol.length, longLen = n > 0x7f ? 1 : 0;
  var c = new Uint8Array(n + 8 + longLen);
  c[0] = 0x80; c[1] = 0xa8;
  c[4] = n + 2 + longLen;
  c[5] = 0x83;
  if (longLen) c[6] = 0x81;
  c[6 + longLen] = n;
  c.set(pdol, 7 + longLen);
  return c; // last byte Le = 00
}

/** GPO reply: AFL (bytes) and a track 2 equivalent if the card sent one (format 2). */
export function parseGpo(rsp: Uint8Array, len: number): { afl: Uint8Array; nodes: Tlv[] } | null {
  var r = parseTlv(rsp, 0, len);
  if (r.err || !r.nodes.length) return null;
  var top = r.nodes[0]!;
  if (top.tag === 0x80) {
    if (top.len < 2 || (top.len - 2) % 4) return null;
    return { afl: rsp.subarray(top.start + 2, top.start + top.len), nodes: r.nodes };
  }
  if (top.tag === 0x77) {
    var afl = findTag(r.nodes, 0x94);
    if (afl && afl.len % 4) return null;
    return { afl: afl ? rsp.subarray(afl.start, afl.start + afl.len) : new Uint8Array(0), nodes: r.nodes };
  }
  return null;
}

/** Takes 57, 5A, 5F24, 5F20 from parsed nodes into out (keeps what is already there). */
export function collectFields(buf: Uint8Array, nodes: Tlv[], out: CardFields & { track2: string }): void {
  var t2 = findTag(nodes, 0x57);
  if (t2 && !out.track2) {
    var h = toHex(buf, t2.start, t2.len);
    var e = h.length;
    while (e > 0 && h.charAt(e - 1) === "F") e--;
    h = h.substr(0, e);
    if (parseTrack2Body(h, "D", out) === "ok") out.track2 = h;
  }
  var pan = findTag(nodes, 0x5a);
  if (pan && !out.pan) {
    var p = toHex(buf, pan.start, pan.len);
    var f = p.indexOf("F");
    if (f >= 0) p = p.substr(0, f);
    if (panOk(p)) out.pan = p;
  }
  var exp = findTag(nodes, 0x5f24);
  if (exp && exp.len === 3 && !out.expiry) out.expiry = toHex(buf, exp.start, 2);
  var name = findTag(nodes, 0x5f20);
  if (name && !out.name) {
    var s = textOf(buf, name.start, name.len);
    var n = s.length;
    while (n > 0 && s.charAt(n - 1) === " ") n--;
    out.name = s.substr(0, n);
  }
}
