// Human-readable decoding of a captured message (pos-sim iso8583, logs). PAN fields masked.
import { IsoMsg, fieldName, fieldType, FT, unpack } from "../../firmware/host/iso8583";
import { locateMessage } from "../../firmware/host/frame";
import { fromHex, toHex } from "../../firmware/host/hex";
import { maskedTlvHex } from "../cards/emv-mask";

/** PAN-bearing digits: first 6 and last 4 at most (PCI 3.4.1); track 2 keeps only the
 *  PAN part masked and hides everything after the separator */
export function maskDigits(s: string): string {
  const sep = s.indexOf("=");
  const pan = sep >= 0 ? s.slice(0, sep) : s;
  const masked = pan.length > 10 ? pan.slice(0, 6) + "*".repeat(pan.length - 10) + pan.slice(-4) : "*".repeat(pan.length);
  return sep >= 0 ? masked + "=" + "*".repeat(s.length - sep - 1) : masked;
}

export function describe(m: IsoMsg): string[] {
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
    const t = fieldType(de);
    const kind = t === FT.B || t === FT.LLLB ? "b" : t === FT.AN || t === FT.LLLA ? "ans" : t === FT.LLZ ? "z" : "n";
    lines.push(`DE ${String(de).padStart(3)} ${fieldName(de).padEnd(22)} ${kind.padEnd(3)} ${shown}`);
  }
  return lines;
}

/** hex (with or without length and TPDU) -> lines; throws with a clear message */
export function decodeHex(hex: string): { header: string; lines: string[] } {
  const bytes = fromHex(hex);
  if (!bytes) throw new Error("not hex: expected pairs of 0-9A-F (spaces allowed)");
  const off = locateMessage(bytes);
  const header = off === 0 ? "no length, no TPDU" : off === 2 ? "2-byte length" : off === 5 ? "TPDU" : "2-byte length + TPDU " + toHex(bytes.subarray(2, 7));
  return { header, lines: describe(unpack(bytes, off)) };
}
