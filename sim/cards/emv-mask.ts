// PAN-bearing EMV data in tool output (pos-sim tlv, pos-sim iso8583 DE 55, logs): only the
// last four PAN digits are ever shown, like the screens and receipts; track data is hidden.
import { parseTlv, type Tlv } from "../../drivers/emv/tlv";
import { toHex } from "../hex";

/** tag -> how its value carries the PAN */
export const SENSITIVE_TAGS: Record<number, "bcd" | "track2" | "track1" | "hidden"> = {
  0x5a: "bcd",      // Application PAN
  0x57: "track2",   // Track 2 Equivalent Data
  0x9f6b: "track2", // Track 2 Data (contactless)
  0x56: "track1",   // Track 1 Data (ASCII "B<PAN>^NAME^YYMM...")
  0x9f1f: "hidden", // Track 1 Discretionary Data
  0x9f20: "hidden", // Track 2 Discretionary Data
};

export function isSensitiveTag(tag: number): boolean { return SENSITIVE_TAGS[tag] !== undefined; }

/** where the PAN's last four digits sit in the value, as [first nibble, end nibble) of the
 *  value's hex; null when the value shows none (hidden tags, no digits) */
function lastFour(kind: string, buf: Uint8Array, start: number, len: number): [number, number] | null {
  const hex = toHex(buf, start, len);
  if (kind === "bcd" || kind === "track2") {
    let end = 0;
    while (end < hex.length && hex.charCodeAt(end) >= 48 && hex.charCodeAt(end) <= 57) end++;
    return end >= 4 ? [end - 4, end] : null;
  }
  if (kind === "track1") {
    let i = 0;
    if (len > 0 && (buf[start]! < 0x30 || buf[start]! > 0x39)) i = 1; // format code 'B'
    let end = i;
    while (end < len && buf[start + end]! >= 0x30 && buf[start + end]! <= 0x39) end++;
    return end - i >= 4 ? [(end - 4) * 2, end * 2] : null;
  }
  return null;
}

/** the value's hex with every nibble but the PAN's last four digits as '*' */
export function maskedValueHex(tag: number, buf: Uint8Array, start: number, len: number): string {
  const hex = toHex(buf, start, len);
  const keep = lastFour(SENSITIVE_TAGS[tag] ?? "hidden", buf, start, len);
  let s = "";
  for (let i = 0; i < hex.length; i++) s += keep && i >= keep[0] && i < keep[1] ? hex.charAt(i) : "*";
  return s;
}

/** the PAN's last four digits in a sensitive value ("" when it shows none) */
export function panLastFour(tag: number, buf: Uint8Array, start: number, len: number): string {
  const keep = lastFour(SENSITIVE_TAGS[tag] ?? "hidden", buf, start, len);
  if (!keep) return "";
  const kind = SENSITIVE_TAGS[tag];
  const hex = toHex(buf, start, len).slice(keep[0], keep[1]);
  return kind === "track1" ? Buffer.from(hex, "hex").toString("latin1") : hex;
}

/** BER-TLV bytes (DE 55) as hex with sensitive values masked nibble by nibble (the layout
 *  stays readable: tags and lengths are kept). Data that is not valid TLV cannot be searched
 *  for a PAN, so it is not shown at all. */
export function maskedTlvHex(buf: Uint8Array): string {
  const r = parseTlv(buf);
  if (r.err) return `<${buf.length} bytes, not valid BER-TLV (${r.err}): not shown, it may hold a PAN>`;
  const out = toHex(buf).split("");
  const walk = (nodes: Tlv[]) => {
    for (const n of nodes) {
      if (n.children) { walk(n.children); continue; }
      if (!isSensitiveTag(n.tag)) continue;
      const m = maskedValueHex(n.tag, buf, n.start, n.len);
      for (let i = 0; i < m.length; i++) out[n.start * 2 + i] = m.charAt(i);
    }
  };
  walk(r.nodes);
  return out.join("");
}
