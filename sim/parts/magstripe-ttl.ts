// Virtual TTL magstripe reader (MagTek-style, one head): drives STROBE, DATA and CARD PRESENT
// (active low, idle high: the reader drives its outputs, GPIO 34-39 have no pulls) with the
// real waveform of a swipe. Control: swipe(card, {speed, reverse, noise, bitErrors, jitter}).
import type { PartContext, PartFactory, VirtualPart } from "../bus/types";
import type { MagstripeTtlEntry as MagstripeTtlSpec } from "../../drivers/magstripe/part.spec";
import { bitTimes, stripeBits, SwipeOptions } from "../cards/waveform";

export interface MagCard { track1?: string; track2?: string; }

/** fraction of a bit time: DATA settles this long before STROBE falls; STROBE stays low this long */
const DATA_SETUP = 0.25, STROBE_LOW = 0.35;
/** CARD PRESENT: low after 15 flux reversals, high 150 ms after the last */
const PRESENT_AFTER_BITS = 15, PRESENT_HOLD = 0.150;

export class MagstripeTtlPart implements VirtualPart {
  readonly type = "magstripe-ttl";
  private owner: string;
  busyUntil = 0;
  /** bits and times of the last swipe (for tests/figures) */
  last: { bits: Uint8Array; duration: number } = { bits: new Uint8Array(0), duration: 0 };

  constructor(readonly role: string, private spec: MagstripeTtlSpec, private ctx: PartContext) {
    this.owner = role;
    for (const g of [spec.strobe, spec.data, spec.cardPresent]) ctx.pins.drive(g, this.owner, 1);
  }

  get track(): number { return this.spec.tracks[0] ?? 2; }

  /** Swipes a card past the head; returns the virtual seconds until CARD PRESENT rises. */
  swipe(card: MagCard | string, o: SwipeOptions = {}): number {
    const { clock, pins } = this.ctx;
    const text = typeof card === "string" ? card : (this.track === 1 ? card.track1 : card.track2);
    if (clock.now() < this.busyUntil) throw new Error("magstripe: a swipe is already in progress");
    if (text && text.charAt(0) !== (this.track === 1 ? "%" : ";")) {
      throw new Error(`magstripe-ttl: this head reads track ${this.track}; pass {track1, track2} or a track ${this.track} string`);
    }
    const bits = text ? stripeBits(text, this.track, o, this.ctx.random) : new Uint8Array(200); // blank stripe
    const times = bitTimes(bits.length, this.track, o, this.ctx.random);
    const t0 = clock.now();
    const s = this.spec;
    for (let i = 0; i < bits.length; i++) {
      const period = i ? times[i]! - times[i - 1]! : times[0]!;
      const fall = t0 + times[i]!;
      const level = bits[i] ? 0 : 1;
      clock.at(fall - period * DATA_SETUP, () => pins.drive(s.data, this.owner, level as 0 | 1));
      clock.at(fall, () => pins.drive(s.strobe, this.owner, 0));
      clock.at(fall + period * STROBE_LOW, () => pins.drive(s.strobe, this.owner, 1));
      if (i === PRESENT_AFTER_BITS) clock.at(fall, () => pins.drive(s.cardPresent, this.owner, 0));
    }
    const lastT = t0 + times[bits.length - 1]!;
    clock.at(lastT + 1e-4, () => pins.drive(s.data, this.owner, 1));
    const endT = lastT + PRESENT_HOLD;
    clock.at(endT, () => pins.drive(s.cardPresent, this.owner, 1));
    this.busyUntil = endT;
    this.last = { bits, duration: lastT - t0 };
    return endT - t0;
  }
}

export const createPart: PartFactory = (role, spec, ctx) => new MagstripeTtlPart(role, spec as MagstripeTtlSpec, ctx);
