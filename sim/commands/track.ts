// pos-sim track <string>: decode a magstripe track for people debugging readers. The input is
// either the ASCII track ("%B...^...^...?" or ";...=...?", as a UART reader sends it) or the
// raw bits ("0110...", as the capture probe dumps them; reverse swipes are handled).
import { decodeTrack } from "../../drivers/magstripe/track";
import { encodeTrack } from "../../drivers/magstripe/encode";
import { emptyFields, parseTrack } from "../../drivers/magstripe/fields";
import { lastFour, maskedPan } from "../../firmware/util/mask";

export const summary = "decode a magstripe track (ASCII or bits); PAN masked unless --unmask";

const HELP = `usage: pos-sim track [--track 1|2] [--unmask] [--bits] <ASCII track | bit string>
  ASCII: %B4111111111111111^DOE/JOHN^3012101...?  or  ;4111111111111111=3012101...?
  bits:  0s and 1s, first bit read first (spaces ignored); --track picks the format (default: try 2, then 1)
  --unmask  print the full PAN (test cards only)
  --bits    also print the recorded bits of an ASCII track (with its LRC)`;

export function run(args: string[]): number {
  let track = 0, unmask = false, bits = false;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--help" || a === "-h") { console.log(HELP); return 0; }
    else if (a === "--unmask") unmask = true;
    else if (a === "--bits") bits = true;
    else if (a === "--track") {
      track = Number(args[++i]);
      if (track !== 1 && track !== 2) { console.error("track: --track must be 1 or 2"); return 2; }
    } else rest.push(a);
  }
  const input = rest.join("").trim();
  if (!input) { console.error("track: no input\n" + HELP); return 2; }
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
    if (!got) { console.error(`track: cannot decode ${arr.length} bits (${last})`); return 1; }
    ({ text, track: t, reversed } = got);
    console.log(`bits:          ${arr.length}${reversed ? " (reverse swipe)" : ""}, parity and LRC ok`);
  } else {
    text = input;
    t = track || (text.startsWith("%") ? 1 : 2);
    if (!(text.startsWith("%") || text.startsWith(";")) || !text.endsWith("?")) {
      console.error("track: an ASCII track starts with % (track 1) or ; (track 2) and ends with ?");
      return 1;
    }
    if (bits) {
      try { console.log("bits:          " + [...encodeTrack(text, t, 0, 0)].join("")); }
      catch (e: any) { console.error("track: " + e.message); return 1; }
    }
  }
  const f = emptyFields();
  const r = parseTrack(text, t, f);
  console.log(`track:         ${t}`);
  if (r !== "ok") {
    console.error(`track: rejected: ${r}`);
    return 1;
  }
  console.log(`PAN:           ${pan(f.pan)} (${f.pan.length} digits, Luhn ok)`);
  console.log(`expiry:        20${f.expiry.slice(0, 2)}-${f.expiry.slice(2)} (YYMM ${f.expiry})`);
  console.log(`service code:  ${f.serviceCode}`);
  if (f.name) console.log(`name:          ${f.name}`);
  if (unmask) console.log(`text:          ${text}`);
  return 0;
}
