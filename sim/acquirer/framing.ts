// TCP framing on the acquirer's side (docs/host-protocol.md §1.1), written from the spec, not
// from firmware/host/frame.ts:
//   [length, 2 bytes big-endian: everything after it][TPDU, 5 bytes][ISO 8583 message]
//   TPDU = 60 | destination (2 bytes BCD, the NII as 4 digits) | source (2 bytes)

export const TPDU_LENGTH = 5;
/** a frame body shorter than a TPDU or longer than this is impossible (§1.1) */
export const MIN_FRAME = TPDU_LENGTH;
export const MAX_FRAME = 2048;
export const TPDU_ID = 0x60;

/** TPDU 60 + destination + source, each 4 BCD digits */
export function tpdu(destination: string, source = "0000"): Buffer {
  for (const d of [destination, source]) if (!/^\d{1,4}$/.test(d)) throw new RangeError(`TPDU address must be up to 4 digits, got '${d}'`);
  return Buffer.from("60" + destination.padStart(4, "0") + source.padStart(4, "0"), "hex");
}

/** The NII a request TPDU is addressed to ("123"), or null when the destination is not BCD. */
export function niiOf(t: Uint8Array): string | null {
  const hex = Buffer.from(t.subarray(1, 3)).toString("hex");
  return /^\d{4}$/.test(hex) ? hex.slice(1) : null;
}

/** length + TPDU + message */
export function frame(message: Uint8Array, header: Uint8Array): Buffer {
  const n = header.length + message.length;
  if (header.length !== TPDU_LENGTH || n > MAX_FRAME) throw new RangeError(`cannot frame ${n} bytes (TPDU ${header.length} + message ${message.length}; at most ${MAX_FRAME})`);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(n);
  return Buffer.concat([len, header, message]);
}

/** Splits a byte stream (chunks of any size, latin1 strings or bytes) into frames. An
 *  impossible length calls onError once; input is then ignored until reset(). */
export class Deframer {
  private held = Buffer.alloc(0);
  private failed = false;

  constructor(private onFrame: (tpdu: Buffer, message: Buffer) => void, private onError: (reason: string) => void) {}

  push(chunk: string | Uint8Array): void {
    if (this.failed) return;
    this.held = Buffer.concat([this.held, typeof chunk === "string" ? Buffer.from(chunk, "latin1") : chunk]);
    while (!this.failed && this.held.length >= 2) {
      const n = this.held.readUInt16BE(0);
      if (n < MIN_FRAME || n > MAX_FRAME) {
        this.failed = true;
        this.held = Buffer.alloc(0);
        this.onError(`impossible frame length (must be ${MIN_FRAME}..${MAX_FRAME} bytes): ${n}`);
        return;
      }
      if (this.held.length < 2 + n) return;
      const body = this.held.subarray(2, 2 + n);
      this.held = this.held.subarray(2 + n);
      this.onFrame(Buffer.from(body.subarray(0, TPDU_LENGTH)), Buffer.from(body.subarray(TPDU_LENGTH)));
    }
  }

  /** bytes of an unfinished frame held now (0 between frames) */
  pending(): number { return this.held.length; }

  reset(): void { this.held = Buffer.alloc(0); this.failed = false; }
}

/** Where the MTI starts in a captured message that may carry the 2-byte length and/or the
 *  TPDU (tools): the length is taken as one when it equals the bytes that follow it, the
 *  TPDU when the next byte is its id 0x60 (no MTI starts with BCD 6). */
export function messageOffset(buf: Uint8Array): { offset: number; length: boolean; tpdu: boolean } {
  const length = buf.length >= 2 && ((buf[0]! << 8) | buf[1]!) === buf.length - 2;
  const at = length ? 2 : 0;
  const hasTpdu = buf.length >= at + TPDU_LENGTH && buf[at] === TPDU_ID;
  return { offset: at + (hasTpdu ? TPDU_LENGTH : 0), length, tpdu: hasTpdu };
}
