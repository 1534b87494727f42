// Message authentication on the host link (docs/host-protocol.md §1.4), the acquirer's own
// implementation on Node's crypto (it shares no code with firmware/host).
// MAC = the first 8 bytes of HMAC-SHA-256(key, the packed message from the MTI up to, not
// including, DE 64), the bitmap having bit 64 set; it travels as DE 64, the message's last
// element (no message of ours has DE 65-128, so DE 64 is always the last 8 bytes).
import { createHmac } from "node:crypto";
import { IsoMessage, encode } from "./iso8583";

/** TEST ONLY: the key the simulator and the terminal's default settings share. A real
 *  terminal is provisioned with its own key (posConfig("macKey", hex)). */
export const TEST_MAC_KEY = "000102030405060708090a0b0c0d0e0f";

export const MAC_LEN = 8;

/** financial messages carry a MAC: 02xx, 03xx, 04xx, 05xx; network management (08xx) not */
export function isMacked(mti: string): boolean {
  return mti.length === 4 && mti[1] !== "8";
}

/** the 8-byte MAC of `data` (the message bytes before DE 64) */
export function macOf(keyHex: string, data: Uint8Array): Buffer {
  return createHmac("sha256", Buffer.from(keyHex, "hex")).update(data).digest().subarray(0, MAC_LEN);
}

/** encode with DE 64 set to the MAC */
export function encodeMacked(m: IsoMessage, keyHex: string): Buffer {
  const b = encode({ mti: m.mti, f: { ...m.f, 64: Buffer.alloc(MAC_LEN) } });
  macOf(keyHex, b.subarray(0, b.length - MAC_LEN)).copy(b, b.length - MAC_LEN);
  return b;
}

/** why the packed message `body` (decoded as `m`) fails its MAC check, or null if it passes */
export function macProblem(m: IsoMessage, body: Uint8Array, keyHex: string): string | null {
  const got = m.f[64];
  if (!(got instanceof Uint8Array)) return "no MAC (DE 64 missing)";
  const want = macOf(keyHex, body.subarray(0, body.length - MAC_LEN));
  const tail = body.subarray(body.length - MAC_LEN);
  return Buffer.from(tail).equals(want) && Buffer.from(got).equals(want) ? null : "MAC does not verify";
}
