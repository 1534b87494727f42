// Test cards by name for scenarios: swipes come from test/fixtures/cards/tracks.json (public
// Luhn-valid test numbers), taps from the EMV APDU traces beside it.
import * as fs from "fs";
import * as path from "path";

const DIR = path.join(__dirname, "../../test/fixtures/cards");

export interface SwipeCard { track1?: string; track2?: string; pan?: string; options: { reverse?: boolean; speed?: number; bitErrors?: number } }

/** tracks.json, parsed again only when the file changes (a swipe per simulated sale) */
let tracksCache: { mtimeMs: number; size: number; data: { good: any[]; bad: any[] } } | null = null;
function tracks(): { good: any[]; bad: any[] } {
  const file = path.join(DIR, "tracks.json");
  const st = fs.statSync(file);
  if (!tracksCache || tracksCache.mtimeMs !== st.mtimeMs || tracksCache.size !== st.size) {
    tracksCache = { mtimeMs: st.mtimeMs, size: st.size, data: JSON.parse(fs.readFileSync(file, "utf8")) };
  }
  return tracksCache.data;
}

const SWIPE_ALIASES: { [name: string]: string } = {
  "visa-good": "visa-sample", visa: "visa-sample", "mc-good": "mastercard", amex: "amex-15", discover: "discover-19-max",
};

/** "visa-good", "mastercard", any tracks.json name; suffixes "-reversed", "-too-fast", "-noisy" */
export function swipeCard(name: string): SwipeCard {
  let base = name;
  const options: SwipeCard["options"] = {};
  for (;;) {
    if (base.endsWith("-reversed")) { options.reverse = true; base = base.slice(0, -9); continue; }
    if (base.endsWith("-too-fast")) { options.speed = 400; base = base.slice(0, -9); continue; }
    if (base.endsWith("-noisy")) { options.bitErrors = 0.02; base = base.slice(0, -6); continue; }
    break;
  }
  base = SWIPE_ALIASES[base] ?? base;
  const t = tracks();
  const found = [...t.good, ...t.bad].find((c) => c.name === base || c.name === "bad-" + base);
  if (!found) throw new Error(`unknown swipe card "${name}" (known: ${swipeNames().join(", ")})`);
  return { track1: found.track1, track2: found.track2, pan: found.pan, options };
}

export function swipeNames(): string[] {
  const t = tracks();
  return [...Object.keys(SWIPE_ALIASES), ...t.good.map((c) => c.name), ...t.bad.map((c) => c.name)];
}

const TAP_ALIASES: { [name: string]: string } = {
  "visa-emv": "visa-qvsdc-pdol-format2", "mc-emv": "mastercard-nopdol-format1", "visa-emv-2": "visa-pdol-format1-no57",
  "not-payment": "not-payment",
};

/** trace file name for a tap card, or "uid" for a plain UID card */
export function tapTrace(name: string): string {
  if (name === "uid-card") return "uid";
  const t = TAP_ALIASES[name] ?? name;
  if (!fs.existsSync(path.join(DIR, "emv-" + t + ".json"))) throw new Error(`unknown tap card "${name}" (known: uid-card, ${Object.keys(TAP_ALIASES).join(", ")})`);
  return t;
}

/** PAN of a tap card (for the fake target and PAN-leak checks) */
export function tapPan(name: string): string {
  const t = tapTrace(name);
  if (t === "uid") return "";
  const j = JSON.parse(fs.readFileSync(path.join(DIR, "emv-" + t + ".json"), "utf8"));
  return j.expect?.pan ?? "";
}
