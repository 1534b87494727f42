// TCP framing of the host link: [2-byte big-endian length][5-byte TPDU][ISO message]. The
// length counts the TPDU and the message. Espruino delivers socket 'data' in chunks of any
// size, so the de-framer is a byte-exact state machine over chunks (no per-chunk assumptions).

export const TPDU_LEN = 5;
export const MAX_FRAME = 2048;

/** TPDU 60 + NII (4 BCD digits, "0" + 3-digit NII) + source 0000 */
export function tpdu(nii: string): Uint8Array {
  var t = new Uint8Array(TPDU_LEN);
  var d = nii;
  while (d.length < 4) d = "0" + d;
  t[0] = 0x60;
  t[1] = (d.charCodeAt(0) - 48) << 4 | (d.charCodeAt(1) - 48);
  t[2] = (d.charCodeAt(2) - 48) << 4 | (d.charCodeAt(3) - 48);
  return t;
}

/** length + TPDU + message, ready for the socket */
export function frame(msg: Uint8Array, nii: string): Uint8Array {
  var n = TPDU_LEN + msg.length;
  var out = new Uint8Array(2 + n);
  out[0] = n >> 8;
  out[1] = n & 255;
  out.set(tpdu(nii), 2);
  out.set(msg, 2 + TPDU_LEN);
  return out;
}

export interface Deframer {
  /** feed a chunk (Espruino socket strings are 8-bit) */
  push(chunk: string | Uint8Array): void;
  /** drop any partial frame and clear a failure */
  reset(): void;
  /** bytes of an incomplete frame held right now (0 between frames) */
  pending(): number;
}

/** onFrame(tpdu, message) per complete frame; onError("FRAME_LENGTH") once on an impossible
 *  length, after which input is ignored until reset(). */
export function createDeframer(onFrame: (tpdu: Uint8Array, msg: Uint8Array) => void,
  onError: (code: string) => void): Deframer {
  var head = 0;          // length bytes seen (0..2)
  var want = 0;          // body length
  var body: Uint8Array | null = null;
  var got = 0;
  var failed = false;

  function byteIn(b: number): void {
    if (head < 2) {
      want = head === 0 ? b << 8 : want | b;
      head++;
      if (head === 2) {
        if (want < TPDU_LEN || want > MAX_FRAME) { failed = true; onError("FRAME_LENGTH"); return; }
        body = new Uint8Array(want);
        got = 0;
      }
      return;
    }
    body![got++] = b;
    if (got === want) {
      var done = body!;
      head = 0; body = null; got = 0;
      onFrame(done.subarray(0, TPDU_LEN), done.subarray(TPDU_LEN));
    }
  }

  return {
    push: function (chunk: string | Uint8Array): void {
      var isStr = typeof chunk === "string";
      for (var i = 0; i < chunk.length && !failed; i++) {
        byteIn(isStr ? (chunk as string).charCodeAt(i) & 255 : (chunk as Uint8Array)[i]!);
      }
    },
    reset: function (): void { head = 0; want = 0; body = null; got = 0; failed = false; },
    pending: function (): number { return head === 0 ? 0 : head + got; },
  };
}

/** Strips an optional 2-byte length and an optional TPDU from a captured message (tools):
 *  returns the offset where the MTI starts. */
export function locateMessage(buf: Uint8Array): number {
  var off = 0;
  if (buf.length >= 2 && ((buf[0]! << 8) | buf[1]!) === buf.length - 2) off = 2;
  if (buf.length >= off + TPDU_LEN && buf[off] === 0x60) off += TPDU_LEN;
  return off;
}
