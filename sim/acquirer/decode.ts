// Human-readable decoding of a captured message (pos-sim iso8583, logs). PAN fields masked.
// Uses the acquirer's own codec (./iso8583, ./framing), never the firmware's.
import { FIELDS, IsoMessage, decode, isBinary } from "./iso8583";
import { messageOffset } from "./framing";
import { maskedTlvHex } from "../cards/emv-mask";
import { fromHex, toHex } from "../hex";

/** PAN-bearing digits: first 6 and last 4 at most (PCI 3.4.1); track 2 keeps only the
 *  PAN part masked and hides everything after the separator */
export function maskDigits(s: string): string {
  const sep = s.indexOf("=");
  const pan = sep >= 0 ? s.slice(0, sep) : s;
  const masked = pan.length > 10 ? pan.slice(0, 6) + "*".repeat(pan.length - 10) + pan.slice(-4) : "*".repeat(pan.length);
  return sep >= 0 ? masked + "=" + "*".repeat(s.length - sep - 1) : masked;
}

export function describe(m: IsoMessage): string[] {
  const lines = [`MTI  ${m.mti}`];
  for (let de = 2; de <= 128; de++) {
    const v = m.f[de];
    if (v === undefined) continue;
    let shown: string;
    if (de === 2 || de === 35) shown = maskDigits(v as string);
    else if (de === 52) shown = "<PIN block, " + (v as Uint8Array).length + " bytes>";
    else if (de === 55) shown = maskedTlvHex(v as Uint8Array); // 5A, 57, 9F6B, 56: last four only
    else if (typeof v === "string") shown = JSON.stringify(v);
    else shown = toHex(v);
    const spec = FIELDS.get(de);
    const kind = !spec ? "?" : isBinary(spec.format) ? "b" : spec.format.endsWith("ans") ? "ans" : spec.format === "LLVAR z" ? "z" : "n";
    lines.push(`DE ${String(de).padStart(3)} ${(spec ? spec.name : "DE " + de).padEnd(22)} ${kind.padEnd(3)} ${shown}`);
  }
  return lines;
}

/** hex (with or without length and TPDU; whitespace allowed) -> lines; throws with a clear message */
export function decodeHex(text: string): { header: string; lines: string[] } {
  const bytes = fromHex(text);
  if (!bytes) throw new Error("not hex: expected pairs of 0-9A-F (spaces allowed)");
  const at = messageOffset(bytes);
  const header = at.length && at.tpdu ? "2-byte length + TPDU " + toHex(bytes, 2, 5)
    : at.length ? "2-byte length" : at.tpdu ? "TPDU" : "no length, no TPDU";
  return { header, lines: describe(decode(bytes, at.offset)) };
}
