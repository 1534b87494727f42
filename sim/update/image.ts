// Firmware images for the update service (docs/update.md): the version and journal format a
// bundle declares (its FIRMWARE_TAG, firmware/update/version.ts), the chained SHA-256 digest
// and the HMAC the terminal checks. The protocol itself is the firmware's (firmware/update/
// protocol.ts), run here on Node's crypto.
import * as crypto from "crypto";
import * as zlib from "zlib";
import { updateProtocol, Offer, Wire, Protocol } from "../../firmware/update/protocol";

const TAG = /POSFW v(\d+) jf(\d+)/;
/** the firmware's TEST-ONLY default update key (settings.ts; a unit test keeps them equal) */
export const TEST_UPDATE_KEY = "101112131415161718191a1b1c1d1e1f";

export const sha256 = (s: string): string => crypto.createHash("sha256").update(Buffer.from(s, "latin1")).digest().toString("latin1");
export const crc32 = (s: string | Uint8Array): number => zlib.crc32(typeof s === "string" ? Buffer.from(s, "latin1") : s);
export const protocol = (): Protocol => updateProtocol(sha256, crc32);

/** version and journal format from the bundle text, or null when it has no tag */
export function imageInfo(image: string): { version: number; fmt: number } | null {
  const m = TAG.exec(image);
  return m ? { version: Number(m[1]), fmt: Number(m[2]) } : null;
}

/** the bundle with another version in its tag (tests make "new releases" this way) */
export function withVersion(image: string, version: number, fmt?: number): string {
  return image.replace(TAG, (_m, _v, f) => `POSFW v${version} jf${fmt ?? f}`);
}

export function imageDigest(image: string): string {
  const p = protocol();
  let h = p.zeroDigest();
  for (let at = 0; at < image.length; at += Wire.DigestChunk) h = p.step(h, image.slice(at, at + Wire.DigestChunk));
  return h;
}

export function hmacKey(hex: string): Buffer {
  if (!/^([0-9a-fA-F]{2}){16,32}$/.test(hex)) throw new Error("the update key must be 32..64 hex digits");
  return Buffer.from(hex, "hex");
}

/** the offer for an image (8-bit string), signed with the key (hex) */
export function makeOffer(image: string, keyHex: string, override?: { version?: number; fmt?: number }): Offer {
  const info = imageInfo(image);
  if (!info) throw new Error("not a POS firmware bundle (no POSFW tag)");
  const o: Offer = { version: override?.version ?? info.version, fmt: override?.fmt ?? info.fmt, size: image.length, digest: imageDigest(image), hmac: "" };
  o.hmac = crypto.createHmac("sha256", hmacKey(keyHex)).update(Buffer.from(protocol().signed(o), "latin1")).digest().toString("latin1");
  return o;
}
