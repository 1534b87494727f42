// pos-sim iso8583 <hex>: decode a captured host message into named fields.
import { cliArgs } from "../cli-args";
import { decodeHex } from "../acquirer/decode";

export const summary = "decode a captured ISO 8583 message (hex, with or without length/TPDU)";

const HELP = "usage: pos-sim iso8583 <hex>   (spaces allowed; quote it)\n" +
  "Accepts the message alone, with the 2-byte length, with the TPDU, or both. DE 2 and 35 are masked.\n" +
  "Exit code: 0 decoded, 1 the message does not decode, 2 bad usage.";

export function run(args: string[]): number {
  const p = cliArgs("pos-sim iso8583", args, {}, HELP, { min: 1, name: "<hex>" });
  if (typeof p === "number") return p;
  const hex = p.positionals.join("").replace(/\s+/g, "");
  if (!/^([0-9a-fA-F]{2})+$/.test(hex)) { console.error("pos-sim iso8583: not hex: expected pairs of 0-9A-F (spaces allowed)"); return 2; }
  try {
    const d = decodeHex(hex);
    console.log("framing: " + d.header);
    for (const l of d.lines) console.log(l);
    return 0;
  } catch (e) {
    console.error("pos-sim iso8583: " + (e as Error).message);
    return 1;
  }
}
