// PN532 host-link frames (NXP UM0701-02 6.2), pure. Normal: 00 00 FF LEN LCS TFI PD.. DCS 00,
// extended: 00 00 FF FF FF LENm LENl LCS TFI PD.. DCS 00; ACK 00 00 FF 00 FF 00, NACK
// 00 00 FF FF 00 00; the syntax-error frame carries TFI 7F. Both checksums are verified.
// The parser works on a byte window so it serves I2C reads and chunked UART streams alike.

export const enum FrameKind { NeedMore = 0, Ack = 1, Nack = 2, Data = 3, Error = 4, Bad = 5 }

export const TFI_HOST = 0xd4;
export const TFI_CHIP = 0xd5;
export const ACK_FRAME = [0x00, 0x00, 0xff, 0x00, 0xff, 0x00];
export const NACK_FRAME = [0x00, 0x00, 0xff, 0xff, 0x00, 0x00];

export interface FrameInfo {
  kind: FrameKind;
  /** bytes of the window used (Data/Ack/Nack/Error), or to drop (Bad, NeedMore: leading junk) */
  consumed: number;
  tfi: number;
  /** payload after TFI: command code first */
  dataStart: number;
  dataLen: number;
  /** why a frame is Bad */
  reason: string;
}

export function newFrameInfo(): FrameInfo {
  return { kind: FrameKind.NeedMore, consumed: 0, tfi: 0, dataStart: 0, dataLen: 0, reason: "" };
}

/** Builds a frame: TFI, then the command code and parameters. */
export function buildFrame(tfi: number, data: ArrayLike<number>): Uint8Array {
  var len = data.length + 1;
  var ext = len > 254;
  var head = ext ? 8 : 5;
  var out = new Uint8Array(head + len + 2);
  out[0] = 0x00; out[1] = 0x00; out[2] = 0xff;
  if (ext) {
    out[3] = 0xff; out[4] = 0xff; out[5] = len >> 8; out[6] = len & 0xff;
    out[7] = (0x100 - ((out[5]! + out[6]!) & 0xff)) & 0xff;
  } else {
    out[3] = len; out[4] = (0x100 - len) & 0xff;
  }
  out[head] = tfi;
  var sum = tfi;
  for (var i = 0; i < data.length; i++) { out[head + 1 + i] = data[i]! & 0xff; sum += data[i]! & 0xff; }
  out[head + len] = (0x100 - (sum & 0xff)) & 0xff;
  out[head + len + 1] = 0x00;
  return out;
}

function bad(out: FrameInfo, consumed: number, reason: string): FrameKind {
  out.kind = FrameKind.Bad; out.consumed = consumed; out.reason = reason;
  return out.kind;
}

/** Parses the first frame in buf[start..end). Result in out (also returned as kind). */
export function parseFrame(buf: Uint8Array, start: number, end: number, out: FrameInfo): FrameKind {
  out.kind = FrameKind.NeedMore; out.consumed = 0; out.reason = ""; out.dataLen = 0;
  var i = start;
  while (i + 1 < end && !(buf[i] === 0x00 && buf[i + 1] === 0xff)) i++;
  if (i + 1 >= end) {
    // keep a trailing 00 (may start a start code); drop the rest
    out.consumed = (i < end && buf[i] === 0x00 ? i : end) - start;
    return out.kind;
  }
  var p = i + 2;
  if (p + 2 > end) { out.consumed = i - start; return out.kind; }
  var len = buf[p]!, lcs = buf[p + 1]!;
  if (len === 0x00 && lcs === 0xff) return control(buf, i, p + 2, end, start, FrameKind.Ack, out);
  if (len === 0xff && lcs === 0x00) return control(buf, i, p + 2, end, start, FrameKind.Nack, out);
  var body: number;
  if (len === 0xff && lcs === 0xff) {
    if (p + 5 > end) { out.consumed = i - start; return out.kind; }
    len = buf[p + 2]! * 256 + buf[p + 3]!;
    if (((buf[p + 2]! + buf[p + 3]! + buf[p + 4]!) & 0xff) !== 0) return bad(out, i + 2 - start, "extended LCS");
    body = p + 5;
  } else {
    if (((len + lcs) & 0xff) !== 0) return bad(out, i + 2 - start, "LCS");
    body = p + 2;
  }
  if (len === 0) return bad(out, i + 2 - start, "empty frame");
  if (body + len + 2 > end) { out.consumed = i - start; return out.kind; }
  var sum = 0;
  for (var k = 0; k <= len; k++) sum += buf[body + k]!;
  if ((sum & 0xff) !== 0) return bad(out, i + 2 - start, "DCS");
  if (buf[body + len + 1] !== 0x00) return bad(out, i + 2 - start, "postamble");
  out.tfi = buf[body]!;
  out.dataStart = body + 1;
  out.dataLen = len - 1;
  out.consumed = body + len + 2 - start;
  out.kind = out.tfi === 0x7f && len === 1 ? FrameKind.Error : FrameKind.Data;
  return out.kind;
}

function control(buf: Uint8Array, i: number, post: number, end: number, start: number, kind: FrameKind, out: FrameInfo): FrameKind {
  if (post >= end) { out.consumed = i - start; return FrameKind.NeedMore; }
  if (buf[post] !== 0x00) return bad(out, i + 2 - start, "postamble");
  out.kind = kind;
  out.consumed = post + 1 - start;
  return kind;
}
