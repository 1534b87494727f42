// pos-sim track <string>: decode a magstripe track for people debugging readers. The input is
// either the ASCII track ("%B...^...^...?" or ";...=...?", as a UART reader sends it) or the
// raw bits ("0110...", as the capture probe dumps them; reverse swipes are handled).
import { cliArgs } from "../cli-args";
import { decodeTrack } from "../../drivers/magstripe/track";
import { encodeTrack } from "../../drivers/magstripe/encode";
import { emptyFields, parseTrack } from "../../drivers/magstripe/fields";
import { lastFour, maskedPan } from "../../firmware/util/mask";

export const summary = "decode a magstripe track (ASCII or bits); PAN masked unless --unmask";

const HELP = `usage: pos-sim track [--track 1|2] [--unmask] [--bits] <ASCII track | bit string>
  ASCII: %B4111111111111111^DOE/JOHN^3012101...?  or  ;4111111111111111=3012101...?
  bits:  0s and 1s, first bit read first (spaces ignored); --track picks the format (default: try 2, then 1)
  --unmask  print the full PAN (test cards only)
  --bits    also print the recorded bits of an ASCII track (with its LRC)
Exit code: 0 decoded, 1 the track does not decode or is rejected, 2 bad usage.`;

export function run(args: string[]): number {
  const p = cliArgs("pos-sim track", args, {
    track: { type: "int", min: 1, max: 2 }, unmask: { type: "boolean" }, bits: { type: "boolean" },
  }, HELP, { min: 1, name: "<track>" });
  if (typeof p === "number") return p;
  const track = p.values.track ?? 0, unmask = !!p.values.unmask, bits = !!p.values.bits;
  const input = p.positionals.join("").trim();
  if (!input) { console.error("pos-sim track: no input\n" + HELP); return 2; }
  const pan = (p: string): string => (unmask ? p : maskedPan(lastFour(p)));

  let text: string, t: number, reversed = false;
  const isBits = [...input.replace(/\s+/g, "")].every((c) => c === "0" || c === "1");
  if (isBits) {
    const raw = [...input].filter((c) => c === "0" || c === "1").map(Number);
    const arr = new Uint8Array(raw);
    const tries = track ? [track] : [2, 1];
    let last = "";
    let got: { text: string; track: number; reversed: boolean } | null = null;
    for (const k of tries) {
      const d = decodeTrack(arr, arr.length, k);
      if (d.reason === "ok") { got = { text: d.text, track: k, reversed: d.reversed }; break; }
      last = last || `track ${k}: ${d.reason}`;
    }
    if (!got) { console.error(`pos-sim track: cannot decode ${arr.length} bits (${last})`); return 1; }
    ({ text, track: t, reversed } = got);
    console.log(`bits:          ${arr.length}${reversed ? " (reverse swipe)" : ""}, parity and LRC ok`);
  } else {
    text = input;
    t = track || (text.startsWith("%") ? 1 : 2);
    if (!(text.startsWith("%") || text.startsWith(";")) || !text.endsWith("?")) {
      console.error("pos-sim track: an ASCII track starts with % (track 1) or ; (track 2) and ends with ?");
      return 1;
    }
    if (bits) {
      try { console.log("bits:          " + [...encodeTrack(text, t, 0, 0)].join("")); }
      catch (e: any) { console.error("pos-sim track: " + e.message); return 1; }
    }
  }
  const f = emptyFields();
  const r = parseTrack(text, t, f);
  console.log(`track:         ${t}`);
  if (r !== "ok") {
    console.error(`pos-sim track: rejected: ${r}`);
    return 1;
  }
  console.log(`PAN:           ${pan(f.pan)} (${f.pan.length} digits, Luhn ok)`);
  console.log(`expiry:        20${f.expiry.slice(0, 2)}-${f.expiry.slice(2)} (YYMM ${f.expiry})`);
  console.log(`service code:  ${f.serviceCode}`);
  if (f.name) console.log(`name:          ${f.name}`);
  if (unmask) console.log(`text:          ${text}`);
  return 0;
}
