// Virtual PN532 at frame level: on I2C (address 0x24, status byte 0x01 when a frame is ready,
// active-low IRQ) or HSU (UART frames). Implements GetFirmwareVersion, SAMConfiguration,
// RFConfiguration (RF field, MaxRetries), InListPassiveTarget (ISO 14443A), InDataExchange,
// InRelease; ACK/NACK from the host (abort / resend); RSTPDN (spec.reset) low resets it.
// Controls: tap(card), remove(), removeAfter(n APDUs), corruptNext(how, count), silent
// (not answering: wiring), hung (not answering until a reset pulse).
import { NackError, type PartContext, type PartFactory, type VirtualPart } from "../bus/types";
import type { Pn532Entry as Pn532Spec } from "../../drivers/pn532/part.spec";
import { ACK_FRAME, buildFrame, FrameKind, newFrameInfo, parseFrame } from "../../drivers/pn532/frame";
import type { CardModel } from "../cards/models";

const ACK_DELAY = 0.0005;
const SIMPLE_DELAY = 0.002;
/** one passive activation attempt (REQA/anticollision/select), seconds */
const ACTIVATION_TRY = 0.015;
const APDU_DELAY = 0.004;
const CARD_TIMEOUT = 0.05;

export class Pn532Part implements VirtualPart {
  readonly type = "pn532";
  card: CardModel | null = null;
  rfOn = false;
  samDone = false;
  /** MxRtyPassiveActivation: 0xFF = wait for a card forever */
  passiveRetries = 0xff;
  /** the chip does not answer at all (I2C NACK / UART silence): a wiring fault */
  silent = false;
  /** the chip's firmware is stuck: no answers until a reset pulse on RSTPDN */
  hung = false;
  private inReset = false;
  resets = 0;
  private removeIn = -1;
  private corrupt: "" | "dcs" | "lcs" | "truncate" = "";
  private corruptLeft = 0;
  private out: Uint8Array | null = null; // frame ready for the host (I2C)
  private lastResponse: Uint8Array | null = null;
  private job = 0;
  private info = newFrameInfo();
  private rx: number[] = [];
  private hsu: boolean;
  commands: number[] = [];
  /** RF field on/off changes with times (RF test probe, "RF off when idle") */
  rfLog: { t: number; on: boolean }[] = [];

  constructor(readonly role: string, private spec: Pn532Spec, private ctx: PartContext) {
    // HSU when the part sits on a UART bus (board bus ids name their kind: "uart2")
    this.hsu = spec.bus.indexOf("uart") === 0;
    if (this.hsu) {
      ctx.uart(spec.bus).onTx((b) => this.hsuByte(b));
    } else {
      ctx.i2c(spec.bus).attach({ address: spec.address ?? 0x24, write: (d) => this.i2cWrite(d), read: (n) => this.i2cRead(n) });
    }
    this.setIrq(false);
    if (spec.reset !== undefined) {
      ctx.pins.onChange(spec.reset, (level) => {
        if (level === 0 && !this.inReset) { this.inReset = true; this.powerCut(); this.hung = false; this.resets++; }
        else if (level === 1 && this.inReset) { this.inReset = false; this.powerOn(); }
      });
    }
  }

  private get mute(): boolean { return this.silent || this.hung || this.inReset; }

  // ---- controls ----
  tap(card: CardModel): void { this.card = card; this.removeIn = -1; }
  remove(): void { this.card = null; }
  /** the card leaves after n more APDUs (0 = before the next one is answered) */
  removeAfter(n: number): void { this.removeIn = n; }
  /** the next `count` response frames go out damaged (a NACK's resend counts as one) */
  corruptNext(how: "dcs" | "lcs" | "truncate", count = 1): void { this.corrupt = how; this.corruptLeft = count; }
  powerCut(): void { this.out = null; this.queued = []; this.job++; this.rfOn = false; this.samDone = false; this.setIrq(false); }
  powerOn(): void { this.passiveRetries = 0xff; }

  // ---- host link ----
  private i2cWrite(d: Uint8Array): void {
    if (this.mute) throw new NackError("PN532 silent");
    this.hostFrame(d);
  }
  private i2cRead(n: number): Uint8Array {
    if (this.mute) throw new NackError("PN532 silent");
    const r = new Uint8Array(n);
    if (!this.out) return r; // status 0x00: not ready
    r[0] = 0x01;
    r.set(this.out.subarray(0, n - 1), 1);
    if (n > 1) { this.out = null; this.setIrq(false); this.next(); }
    return r;
  }
  private hsuByte(b: number): void {
    if (this.mute) return;
    this.rx.push(b);
    const buf = new Uint8Array(this.rx);
    const k = parseFrame(buf, 0, buf.length, this.info);
    const used = this.info.consumed;
    this.rx.splice(0, used);
    if (k === FrameKind.NeedMore || k === FrameKind.Bad) return; // wake-up junk, or a broken frame: no answer
    this.hostFrame(buf.subarray(0, used));
  }

  /** a complete frame from the host */
  private hostFrame(d: Uint8Array): void {
    const k = parseFrame(d, 0, d.length, this.info);
    if (k === FrameKind.Ack) { this.job++; this.out = null; this.queued = []; this.setIrq(false); return; } // abort
    if (k === FrameKind.Nack) { if (this.lastResponse) this.emit(this.lastResponse, 0); return; }
    if (k !== FrameKind.Data || this.info.tfi !== 0xd4 || this.info.dataLen < 1) {
      this.emit(new Uint8Array([0, 0, 0xff, 0x01, 0xff, 0x7f, 0x81, 0]), SIMPLE_DELAY); // syntax error
      return;
    }
    const body = d.slice(this.info.dataStart, this.info.dataStart + this.info.dataLen);
    this.job++;
    this.out = null;
    this.queued = [];
    this.setIrq(false);
    this.emit(new Uint8Array(ACK_FRAME), ACK_DELAY, true);
    this.execute(body, this.job);
  }

  /** queue a frame for the host after delay seconds */
  private emit(frame: Uint8Array, delay: number, isAck = false): void {
    const job = this.job;
    this.ctx.clock.after(delay, () => {
      if (job !== this.job && !isAck) return;
      if (!isAck) this.lastResponse = frame;
      const wire = isAck ? frame : this.corrupted(frame);
      if (this.hsu) { this.ctx.uart(this.spec.bus).send(wire); return; }
      if (this.out) { this.queued.push(wire); return; }
      this.out = wire;
      this.setIrq(true);
    });
  }
  private queued: Uint8Array[] = [];
  private next(): void {
    const f = this.queued.shift();
    if (f) { this.out = f; this.setIrq(true); }
  }

  private corrupted(f: Uint8Array): Uint8Array {
    const how = this.corrupt;
    if (!how || this.corruptLeft <= 0) return f;
    if (--this.corruptLeft === 0) this.corrupt = "";
    const c = new Uint8Array(f);
    if (how === "dcs") c[c.length - 2] = c[c.length - 2]! ^ 0x55;
    else if (how === "lcs") c[4] = c[4]! ^ 0x01;
    else return c.subarray(0, Math.max(6, c.length - 4));
    return c;
  }

  private respond(code: number, data: number[] | Uint8Array, delay: number, job: number): void {
    if (job !== this.job) return;
    const body = new Uint8Array(data.length + 1);
    body[0] = code + 1;
    body.set(data, 1);
    this.emit(buildFrame(0xd5, body), delay);
  }

  private execute(b: Uint8Array, job: number): void {
    const cmd = b[0]!;
    this.commands.push(cmd);
    switch (cmd) {
      case 0x02: return this.respond(cmd, [0x32, 0x01, 0x06, 0x07], SIMPLE_DELAY, job);
      case 0x14: this.samDone = true; return this.respond(cmd, [], SIMPLE_DELAY, job);
      case 0x32:
        if (b[1] === 0x01) this.setRf((b[2]! & 1) === 1);
        if (b[1] === 0x05) this.passiveRetries = b[4] ?? 0xff;
        return this.respond(cmd, [], SIMPLE_DELAY, job);
      case 0x4a: return this.activate(job, 0);
      case 0x40: return this.exchange(b, job);
      case 0x52: return this.respond(cmd, [0x00], SIMPLE_DELAY, job);
      default: this.emit(new Uint8Array([0, 0, 0xff, 0x01, 0xff, 0x7f, 0x81, 0]), SIMPLE_DELAY);
    }
  }

  /** InListPassiveTarget: retries activation while no card, up to MxRtyPassiveActivation */
  private activate(job: number, attempt: number): void {
    if (job !== this.job) return;
    this.setRf(true);
    const c = this.card;
    if (c) {
      const d = [0x01, 0x01, c.sensRes >> 8, c.sensRes & 0xff, c.selRes, c.uid.length, ...c.uid];
      if (c.ats) d.push(...c.ats);
      return this.respond(0x4a, d, ACTIVATION_TRY, job);
    }
    if (this.passiveRetries !== 0xff && attempt >= this.passiveRetries) return this.respond(0x4a, [0x00], ACTIVATION_TRY, job);
    this.ctx.clock.after(ACTIVATION_TRY, () => this.activate(job, attempt + 1));
  }

  private exchange(b: Uint8Array, job: number): void {
    if (this.removeIn === 0) { this.card = null; this.removeIn = -1; }
    else if (this.removeIn > 0) this.removeIn--;
    const c = this.card;
    const r = c && this.rfOn ? c.apdu(b.slice(2)) : null;
    if (!r) return this.respond(0x40, [0x01], CARD_TIMEOUT, job); // status 01: target timeout
    this.respond(0x40, [0x00, ...r], APDU_DELAY + r.length * 10 / 106000, job);
  }

  private setRf(on: boolean): void {
    if (on === this.rfOn) return;
    this.rfOn = on;
    this.rfLog.push({ t: this.ctx.clock.now(), on });
  }

  private setIrq(ready: boolean): void {
    if (this.spec.irq !== undefined) this.ctx.pins.drive(this.spec.irq, this.role, ready ? 0 : 1);
  }
}

export const createPart: PartFactory = (role, spec, ctx) => new Pn532Part(role, spec as Pn532Spec, ctx);
