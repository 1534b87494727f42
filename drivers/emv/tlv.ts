// BER-TLV as EMV uses it (Book 3 Annex B), pure: tags of 1..3 bytes (bit 6 of the first byte
// = constructed; low bits 11111 = more tag bytes, each with bit 8 set if another follows),
// lengths 00..7F, 81 nn, 82 nn nn; 00/FF padding between objects is skipped. Anything else,
// or a length past the end of its parent, is rejected with a message. Never throws.

export interface Tlv {
  /** tag bytes as a number: 0x57, 0x5F24, 0xBF0C */
  tag: number;
  constructed: boolean;
  /** value offset and length in the parsed buffer */
  start: number;
  len: number;
  children: Tlv[] | null;
}

export interface TlvResult { err: string; nodes: Tlv[]; }

var MAX_DEPTH = 8;

function parseLevel(buf: Uint8Array, p: number, end: number, depth: number, nodes: Tlv[]): string {
  if (depth > MAX_DEPTH) return "nested too deep";
  while (p < end) {
    var b = buf[p]!;
    if (b === 0x00 || b === 0xff) { p++; continue; }
    var at = p;
    var tag = b;
    var constructed = (b & 0x20) !== 0;
    p++;
    if ((b & 0x1f) === 0x1f) {
      var more = true;
      for (var k = 0; more; k++) {
        if (k === 2) return "tag too long at " + at;
        if (p >= end) return "truncated tag at " + at;
        var t = buf[p++]!;
        tag = tag * 256 + t;
        more = (t & 0x80) !== 0;
      }
    }
    if (p >= end) return "missing length at " + at;
    var len = buf[p++]!;
    if (len === 0x81 || len === 0x82) {
      var n = len - 0x80;
      if (p + n > end) return "truncated length at " + at;
      len = 0;
      for (var i = 0; i < n; i++) len = len * 256 + buf[p++]!;
    } else if (len > 0x7f) {
      return "bad length byte " + len + " at " + at;
    }
    if (p + len > end) return "length " + len + " past end at " + at;
    var node: Tlv = { tag: tag, constructed: constructed, start: p, len: len, children: null };
    if (constructed) {
      node.children = [];
      var err = parseLevel(buf, p, p + len, depth + 1, node.children);
      if (err) return err;
    }
    nodes.push(node);
    p += len;
  }
  return "";
}

/** Parses buf[from..to). err is "" on success. */
export function parseTlv(buf: Uint8Array, from?: number, to?: number): TlvResult {
  var nodes: Tlv[] = [];
  var s = from === undefined ? 0 : from;
  var e = to === undefined ? buf.length : to;
  if (e > buf.length) e = buf.length;
  var err = parseLevel(buf, s, e, 0, nodes);
  return { err: err, nodes: err ? [] : nodes };
}

/** Depth-first search for the first node with this tag. */
export function findTag(nodes: Tlv[] | null, tag: number): Tlv | null {
  if (!nodes) return null;
  for (var i = 0; i < nodes.length; i++) {
    var n = nodes[i]!;
    if (n.tag === tag) return n;
    var c = findTag(n.children, tag);
    if (c) return c;
  }
  return null;
}

/** Latin-1 text of a value (names, labels). */
export function textOf(buf: Uint8Array, start: number, len: number): string {
  var s = "";
  for (var i = start; i < start + len && i < buf.length; i++) s += String.fromCharCode(buf[i]!);
  return s;
}
