// pos-sim tlv <hex>: print a BER-TLV blob (an EMV response) as a tree with tag names.
import { cliArgs } from "../cli-args";
import { parseTlv, textOf, type Tlv } from "../../drivers/emv/tlv";
import { fromHex, toHex } from "../hex";
import { isSensitiveTag, panLastFour } from "../cards/emv-mask";

export const summary = "print BER-TLV hex (EMV responses) as a tree with tag names";

export const TAG_NAMES: Record<number, string> = {
  0x4f: "AID", 0x50: "application label", 0x57: "track 2 equivalent", 0x5a: "PAN", 0x61: "application template",
  0x6f: "FCI template", 0x70: "record template", 0x77: "response template (format 2)", 0x80: "response (format 1)",
  0x82: "AIP", 0x84: "DF name", 0x87: "application priority", 0x8c: "CDOL1", 0x8d: "CDOL2", 0x8e: "CVM list",
  0x94: "AFL", 0x95: "TVR", 0x9a: "transaction date", 0x9c: "transaction type", 0xa5: "FCI proprietary template",
  0x5f20: "cardholder name", 0x5f24: "expiry date", 0x5f25: "effective date", 0x5f28: "issuer country",
  0x5f2a: "transaction currency", 0x5f2d: "language preference", 0x5f34: "PAN sequence number",
  0x9f02: "amount authorised", 0x9f03: "amount other", 0x9f07: "application usage control", 0x9f10: "issuer application data",
  0x9f12: "application preferred name", 0x9f1a: "terminal country", 0x9f26: "application cryptogram",
  0x9f27: "cryptogram information data", 0x9f36: "ATC", 0x9f37: "unpredictable number", 0x9f38: "PDOL",
  0x9f66: "TTQ", 0x9f6c: "CTQ", 0xbf0c: "FCI issuer discretionary data",
  0x56: "track 1 data", 0x9f6b: "track 2 data", 0x9f1f: "track 1 discretionary data", 0x9f20: "track 2 discretionary data",
};

const HELP = `usage: pos-sim tlv [--unmask] <hex>
  e.g. pos-sim tlv 6F23840E325041592E5359532E4444463031A511BF0C0E610C4F07A0000000041010870101
  (a PPSE reply; spaces between bytes are allowed when quoted)
  PAN-bearing tags (5A, 57, 9F6B, 56) are masked to the last four, track discretionary
  data (9F1F, 9F20) hidden, unless --unmask
Exit code: 0 decoded, 1 malformed TLV, 2 bad usage or not hex.`;

function printable(b: Uint8Array, t: Tlv): boolean {
  for (let i = t.start; i < t.start + t.len; i++) if (b[i]! < 0x20 || b[i]! > 0x7e) return false;
  return t.len > 0;
}

export function run(args: string[]): number {
  const p = cliArgs("pos-sim tlv", args, { unmask: { type: "boolean" } }, HELP, { min: 1, name: "<hex>" });
  if (typeof p === "number") return p;
  const unmask = !!p.values.unmask;
  const hex = p.positionals.join("").replace(/\s+/g, "");
  const buf = fromHex(hex);
  if (!buf || !hex) { console.error("pos-sim tlv: not hex (need pairs of 0-9 A-F)"); return 2; }
  const r = parseTlv(buf);
  if (r.err) { console.error(`pos-sim tlv: malformed: ${r.err}`); return 1; }
  const walk = (nodes: Tlv[], depth: number): void => {
    for (const n of nodes) {
      const tag = n.tag.toString(16).toUpperCase().padStart(2, "0");
      const name = TAG_NAMES[n.tag] ?? "";
      let line = `${"  ".repeat(depth)}${tag} (${n.len})${name ? " " + name : ""}`;
      if (!n.children) {
        let v = toHex(buf, n.start, n.len);
        const sensitive = isSensitiveTag(n.tag);
        if (sensitive && !unmask) {
          const last4 = panLastFour(n.tag, buf, n.start, n.len);
          v = last4 ? "****" + last4 + " (masked)" : "(masked)";
        }
        line += ": " + v;
        if ((!sensitive || unmask) && printable(buf, n) && n.tag !== 0x9f38) line += ` "${textOf(buf, n.start, n.len)}"`;
      }
      console.log(line);
      if (n.children) walk(n.children, depth + 1);
    }
  };
  walk(r.nodes, 0);
  return 0;
}
