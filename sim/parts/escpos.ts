// Virtual 58 mm ESC/POS thermal printer on a UART. Bytes arrive at the baud rate into a 4 KB
// receive buffer (overflow loses bytes, logged); the mechanism takes commands from the buffer
// and moves paper at mmPerSecond (8 dots/mm), so a printing line holds the buffer up.
// Real-time status (DLE EOT n) is answered on receipt, even while busy or stopped, and Auto
// Status Back (GS a) reports changes. Controls: paper out / load / near end / cover.
import type { PartContext, PartFactory, UartSim, VirtualPart } from "../bus/types";
import type { EscposEntry as EscposSpec } from "../../drivers/escpos/part.spec";
import { EscPosInterpreter } from "../escpos/interpreter";
import { renderText } from "../escpos/text";
import { renderPng } from "../escpos/png";

export const RX_BUFFER_BYTES = 4096;
export const DOTS_PER_MM = 8;
/** time from a status request's last byte to the reply's start */
const REPLY_LATENCY = 0.0005;

export interface PrinterStats {
  bytesReceived: number;
  bytesLost: number;
  firstByteAt: number;
  lastByteAt: number;
  /** time each cut was executed */
  cutTimes: number[];
  /** the largest receive-buffer fill seen */
  maxBuffered: number;
  statusReplies: number;
}

export class EscposPart implements VirtualPart {
  readonly type = "escpos";
  readonly interp: EscPosInterpreter;
  readonly mmPerSecond: number;
  paperOut = false;
  nearEnd = false;
  coverOpen = false;
  stats: PrinterStats = { bytesReceived: 0, bytesLost: 0, firstByteAt: -1, lastByteAt: -1, cutTimes: [], maxBuffered: 0, statusReplies: 0 };
  private buf = new Uint8Array(RX_BUFFER_BYTES * 2);
  private head = 0;
  private tail = 0;
  private busyUntil = 0;
  private pumpAt: number | null = null;
  private powered = true;
  private asbMask = 0;
  private lastAsb = -1;
  /** the two bytes received before the current one (DLE EOT n detection) */
  private rt2 = 0;
  private rt1 = 0;
  /** mm of paper left on the roll (Infinity: never runs out by itself) */
  private rollLeftMm = Infinity;
  private nearEndMm = 0;

  constructor(readonly role: string, spec: Partial<EscposSpec>, private ctx: PartContext, private uart: UartSim) {
    this.mmPerSecond = spec.mmPerSecond || 60;
    this.interp = new EscPosInterpreter({
      width: spec.dots || 384,
      // a session prints for hours: the paper is kept whole (the roll model limits it), and
      // png() shows the latest part when it is too long for one picture
      maxPaperMm: Infinity,
      hooks: {
        warn: (m) => ctx.log(role + ": " + m),
        reply: (bytes) => this.uart.send(bytes),
        sensors: () => ({ paperOut: this.paperOut, nearEnd: this.nearEnd }),
        asb: (mask) => { this.asbMask = mask; this.lastAsb = -1; this.notify(); },
        cut: () => { this.stats.cutTimes.push(this.ctx.clock.now()); },
      },
    });
    uart.onTx((b, t) => this.receive(b, t));
  }

  // ---- controls ----
  /** paper runs out now (the mechanism stops after the dot row in progress) */
  setPaperOut(out: boolean): void {
    this.paperOut = out;
    if (!out && this.rollLeftMm <= 0) this.rollLeftMm = Infinity;
    this.notify();
    if (!out) this.schedulePump(this.ctx.clock.now());
  }
  /** a roll with this much paper left: runs out by itself mid-print; the near-end sensor
   *  trips below nearEndMm (default 500 mm, so a short roll reports near end at once) */
  setRoll(mm: number, nearEndMm = 500): void {
    this.rollLeftMm = mm;
    this.nearEndMm = nearEndMm;
    this.paperOut = mm <= 0;
    this.nearEnd = mm < nearEndMm;
    this.notify();
  }
  /** a fresh roll */
  loadPaper(mm = Infinity): void { this.rollLeftMm = mm; this.nearEnd = false; this.setPaperOut(false); }
  setNearEnd(on: boolean): void { this.nearEnd = on; this.notify(); }
  setCoverOpen(open: boolean): void {
    this.coverOpen = open;
    this.notify();
    if (!open) this.schedulePump(this.ctx.clock.now());
  }

  powerCut(): void {
    this.powered = false;
    this.head = this.tail = 0;
    if (this.pumpAt !== null) this.pumpAt = null;
  }
  powerOn(): void {
    this.powered = true;
    this.interp.powerReset();
    this.asbMask = 0;
    this.busyUntil = this.ctx.clock.now();
  }

  // ---- views ----
  get buffered(): number { return this.tail - this.head; }
  /** true when nothing is waiting and the mechanism is still */
  idle(): boolean { return this.buffered === 0 && this.ctx.clock.now() >= this.busyUntil; }
  text(opts?: { art?: boolean }): string { return renderText(this.interp.paper, opts); }
  png(scale?: number): Buffer {
    return renderPng(this.interp.paper, { scale, keep: "tail", warn: (m) => this.ctx.log(this.role + ": " + m) });
  }
  get paperMm(): number { return this.interp.paper.mm; }

  // ---- wire side ----
  private receive(b: number, t: number): void {
    if (!this.powered) return;
    this.stats.bytesReceived++;
    if (this.stats.firstByteAt < 0) this.stats.firstByteAt = t;
    this.stats.lastByteAt = t;
    this.realtime(b);
    if (this.buffered >= RX_BUFFER_BYTES) {
      this.stats.bytesLost++;
      if (this.stats.bytesLost === 1 || this.stats.bytesLost % 256 === 0) this.ctx.log(this.role + ": receive buffer full, " + this.stats.bytesLost + " byte(s) lost");
      return;
    }
    if (this.tail === this.buf.length) {
      this.buf.copyWithin(0, this.head, this.tail);
      this.tail -= this.head;
      this.head = 0;
    }
    this.buf[this.tail++] = b;
    if (this.buffered > this.stats.maxBuffered) this.stats.maxBuffered = this.buffered;
    this.schedulePump(t);
  }

  /** DLE EOT n is answered as it arrives (like a real printer, even inside image data) */
  private realtime(b: number): void {
    const p2 = this.rt2, p1 = this.rt1;
    this.rt2 = p1; this.rt1 = b;
    if (p2 !== 0x10 || p1 !== 0x04 || b < 1 || b > 4) return;
    let r = 0x12;
    if (b === 1) r |= this.paperOut || this.coverOpen ? 0x08 : 0;
    if (b === 2) r |= (this.coverOpen ? 0x04 : 0) | (this.paperOut ? 0x20 : 0);
    if (b === 4) r |= (this.nearEnd ? 0x0c : 0) | (this.paperOut ? 0x60 : 0);
    this.stats.statusReplies++;
    this.ctx.clock.after(REPLY_LATENCY, () => { if (this.powered) this.uart.send([r]); });
    this.rt2 = 0; this.rt1 = 0;
  }

  private notify(): void {
    if (!this.asbMask || !this.powered) return;
    const offline = this.paperOut || this.coverOpen;
    const b0 = 0x10 | (offline ? 0x08 : 0) | (this.coverOpen ? 0x20 : 0);
    const b2 = (this.nearEnd ? 0x03 : 0) | (this.paperOut ? 0x0c : 0);
    const key = b0 * 256 + b2;
    if (key === this.lastAsb) return;
    this.lastAsb = key;
    this.uart.send([b0, 0x00, b2, 0x0f]);
  }

  // ---- mechanism ----
  private schedulePump(t: number): void {
    const at = Math.max(t, this.busyUntil, this.ctx.clock.now());
    if (this.pumpAt !== null && this.pumpAt <= at) return;
    this.pumpAt = at;
    this.ctx.clock.at(at, () => { if (this.pumpAt === at) { this.pumpAt = null; this.pump(); } });
  }

  private pump(): void {
    const clock = this.ctx.clock;
    while (this.powered && !this.paperOut && !this.coverOpen && this.buffered > 0) {
      if (clock.now() < this.busyUntil) { this.schedulePump(this.busyUntil); return; }
      const n = this.interp.step(this.buf, this.head, this.tail);
      if (n === 0) return; // incomplete command: wait for bytes
      this.head += n;
      if (this.head === this.tail) this.head = this.tail = 0;
      const dots = this.interp.lastDots;
      if (dots > 0) {
        const mm = dots / DOTS_PER_MM;
        this.busyUntil = clock.now() + mm / this.mmPerSecond;
        this.useRoll(mm);
      }
    }
  }

  private useRoll(mm: number): void {
    if (this.rollLeftMm === Infinity) return;
    this.rollLeftMm -= mm;
    if (!this.nearEnd && this.rollLeftMm < this.nearEndMm) { this.nearEnd = true; this.notify(); }
    if (this.rollLeftMm <= 0) {
      this.ctx.log(this.role + ": paper out");
      this.paperOut = true;
      this.notify();
    }
  }
}

export const createPart: PartFactory = (role, spec, ctx) => {
  const s = spec as EscposSpec;
  return new EscposPart(role, s, ctx, ctx.uart(s.bus));
};
