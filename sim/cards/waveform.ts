// Swipe waveform for a TTL magstripe reader: track text -> recorded bits (with clocking
// zeros over the whole 3.375 in stripe) -> timed STROBE/DATA/CARD PRESENT edges at a hand
// swipe speed. Hand swipes are not uniform: the speed ramps (accel) and wobbles per bit
// (jitter). Noise adds stray 1-bits in the leading zeros; bit errors flip bits. Seeded.
import { encodeTrack } from "../../drivers/magstripe/encode";

export const STRIPE_INCHES = 3.375;
/** ISO 7811: the start sentinel begins about 0.293 in from the card edge */
export const LEAD_INCHES = 0.293;
export function bitsPerInch(track: number): number { return track === 2 ? 75 : 210; }

export interface SwipeOptions {
  /** mean speed, inches per second (hand swipes: about 4..60) */
  speed?: number;
  reverse?: boolean;
  /** stray 1-bits sprinkled in the leading zeros */
  noise?: number;
  /** probability of each bit being flipped */
  bitErrors?: number;
  /** +-fraction per-bit period wobble (default 0.05) */
  jitter?: number;
  /** +-fraction speed ramp over the swipe (default random up to 0.3) */
  accel?: number;
}

/** The bits the head reads, in reading order. */
export function stripeBits(text: string, track: number, o: SwipeOptions, rnd: () => number): Uint8Array {
  const bpi = bitsPerInch(track);
  const total = Math.round(STRIPE_INCHES * bpi);
  const lead = Math.round(LEAD_INCHES * bpi);
  const data = encodeTrack(text, track, lead, 0);
  const bits = new Uint8Array(Math.max(total, data.length + 8));
  bits.set(data);
  for (let i = 0; i < (o.noise ?? 0); i++) bits[Math.floor(rnd() * (lead - 6))] = 1;
  const p = o.bitErrors ?? 0;
  if (p > 0) for (let i = 0; i < bits.length; i++) if (rnd() < p) bits[i] = bits[i] ? 0 : 1;
  if (o.reverse) bits.reverse();
  return bits;
}

/** Start time (s, from swipe start) of each bit's strobe, following the speed profile. */
export function bitTimes(n: number, track: number, o: SwipeOptions, rnd: () => number): Float64Array {
  const speed = o.speed ?? 30;
  const jitter = o.jitter ?? 0.05;
  const accel = o.accel ?? (rnd() * 2 - 1) * 0.3;
  const base = 1 / (bitsPerInch(track) * speed);
  const t = new Float64Array(n);
  let now = 0;
  for (let i = 0; i < n; i++) {
    const ramp = 1 - accel * (i / n - 0.5); // faster or slower through the swipe
    const wobble = 1 + (rnd() * 2 - 1) * jitter;
    now += base * ramp * wobble;
    t[i] = now;
  }
  return t;
}
