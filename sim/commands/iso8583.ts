// pos-sim iso8583 <hex>: decode a captured host message into named fields.
import { decodeHex } from "../acquirer/decode";

export const summary = "decode a captured ISO 8583 message (hex, with or without length/TPDU)";

export function run(args: string[]): number {
  if (!args.length || args[0] === "--help" || args[0] === "-h") {
    console.log("usage: pos-sim iso8583 <hex>   (spaces allowed; quote it)\n" +
      "Accepts the message alone, with the 2-byte length, with the TPDU, or both. DE 2 and 35 are masked.");
    return args.length ? 0 : 2;
  }
  try {
    const d = decodeHex(args.join(""));
    console.log("framing: " + d.header);
    for (const l of d.lines) console.log(l);
    return 0;
  } catch (e) {
    console.error("iso8583: " + (e as Error).message);
    return 1;
  }
}
