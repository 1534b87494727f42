// PN532 NFC controller driver over a Pn532Link (I2C or HSU). One command at a time: send,
// wait for the ACK (resend on NACK or silence), wait for the response (NACK it to get a
// corrupted one again, ACK it away on timeout). Completions are (err, result); err.code is
// timeout | frame | nack | bus | busy | status | removed.
import { Io } from "../hal";
import { ACK_FRAME, buildFrame, FrameInfo, FrameKind, NACK_FRAME, TFI_CHIP, TFI_HOST } from "./frame";
import { Pn532Link } from "./link";

export interface Pn532Error { code: string; message: string; }
export type Pn532Callback<T> = (err: Pn532Error | null, result?: T) => void;

export interface Target {
  tg: number;
  sensRes: number;
  selRes: number;
  uid: Uint8Array;
  /** ISO-DEP (SEL_RES bit 0x20): speaks APDUs (EMV) */
  isoDep: boolean;
}

const enum Cmd {
  GetFirmwareVersion = 0x02, SAMConfiguration = 0x14, RFConfiguration = 0x32,
  InDataExchange = 0x40, InListPassiveTarget = 0x4a, InRelease = 0x52,
}

var ACK_MS = 30;
var RETRIES = 2;

function err(code: string, message: string): Pn532Error { return { code: code, message: message }; }

export class Pn532 {
  private link: Pn532Link; private io: Io;
  private busy = false;
  private resetPin: PinLike | undefined;

  /** reset: the RSTPDN pin (active low), if wired */
  constructor(o: { link: Pn532Link; io: Io; reset?: PinLike }) { this.link = o.link; this.io = o.io; this.resetPin = o.reset; }

  /** Hardware reset through RSTPDN: low 10 ms, then 50 ms to boot. false if not wired. */
  hardReset(cb: () => void): boolean {
    var self = this, pin = this.resetPin;
    if (pin === undefined) return false;
    this.link.reset();
    this.io.digitalWrite(pin, 0);
    this.io.setTimeout(function () {
      self.io.digitalWrite(pin!, 1);
      self.io.setTimeout(cb, 50);
    }, 10);
    return true;
  }

  /** Sends a command; cb gets the response body after the response code. */
  command(cmd: number, params: ArrayLike<number>, timeoutMs: number, readLen: number, cb: Pn532Callback<Uint8Array>): void {
    var self = this;
    if (this.busy) { this.io.setTimeout(function () { cb(err("busy", "PN532 busy")); }, 0); return; }
    this.busy = true;
    var data = new Uint8Array(params.length + 1);
    data[0] = cmd;
    data.set(params as Uint8Array, 1);
    var frame = buildFrame(TFI_HOST, data);
    var tries = 0;
    function done(e: Pn532Error | null, body?: Uint8Array): void { self.busy = false; cb(e, body); }
    function send(): void {
      try { self.link.send(frame); } catch (x) { done(err("bus", "PN532 not answering")); return; }
      self.link.receive(ACK_MS, 6, function (e, _buf, info) {
        if (!e && info!.kind === FrameKind.Ack) { response(0); return; }
        if (tries++ < RETRIES) { send(); return; }
        done(err(e || "nack", "no ACK from PN532"));
      });
    }
    function response(nacks: number): void {
      self.link.receive(timeoutMs, readLen + 10, function (e, buf, info) {
        if (e === "frame" && nacks < RETRIES) { self.sendQuiet(NACK_FRAME); response(nacks + 1); return; }
        if (e) {
          if (e === "timeout") self.sendQuiet(ACK_FRAME); // abort the command in flight
          done(err(e, e === "timeout" ? "PN532 timeout" : "bad frame from PN532"));
          return;
        }
        var f = info as FrameInfo;
        if (f.kind !== FrameKind.Data || f.tfi !== TFI_CHIP || f.dataLen < 1 || buf![f.dataStart] !== cmd + 1) {
          done(err("frame", f.kind === FrameKind.Error ? "PN532 syntax error" : "unexpected frame"));
          return;
        }
        done(null, buf!.subarray(f.dataStart + 1, f.dataStart + f.dataLen));
      });
    }
    send();
  }

  private sendQuiet(frame: number[]): void {
    try { this.link.send(frame); } catch (x) { /* reported by the next receive */ }
  }

  getFirmwareVersion(cb: Pn532Callback<{ ic: number; version: number; revision: number; support: number }>): void {
    this.command(Cmd.GetFirmwareVersion, [], 100, 8, function (e, b) {
      if (e) return cb(e);
      if (b!.length < 4) return cb(err("frame", "short firmware version"));
      cb(null, { ic: b![0]!, version: b![1]!, revision: b![2]!, support: b![3]! });
    });
  }

  /** normal mode, virtual-card timeout 1 s, IRQ used */
  samConfiguration(cb: Pn532Callback<void>): void {
    this.command(Cmd.SAMConfiguration, [0x01, 0x14, 0x01], 100, 4, function (e) { cb(e); });
  }

  /** RF field on/off (CfgItem 1) */
  rfField(on: boolean, cb: Pn532Callback<void>): void {
    this.command(Cmd.RFConfiguration, [0x01, on ? 0x01 : 0x00], 100, 4, function (e) { cb(e); });
  }

  /** MaxRetries (CfgItem 5): ATR, PSL, passive activation (0xFF = forever) */
  setRetries(passive: number, cb: Pn532Callback<void>): void {
    this.command(Cmd.RFConfiguration, [0x05, 0xff, 0x01, passive], 100, 4, function (e) { cb(e); });
  }

  /** One ISO 14443A target at 106 kbps, or null when none answered the retries. */
  inListPassiveTarget(timeoutMs: number, cb: Pn532Callback<Target | null>): void {
    this.command(Cmd.InListPassiveTarget, [0x01, 0x00], timeoutMs, 64, function (e, b) {
      if (e) return cb(e);
      if (!b!.length || b![0] === 0) return cb(null, null);
      if (b!.length < 6) return cb(err("frame", "short target"));
      var uidLen = b![5]!;
      if (6 + uidLen > b!.length || uidLen > 10) return cb(err("frame", "bad UID length"));
      var sel = b![4]!;
      cb(null, {
        tg: b![1]!, sensRes: b![2]! * 256 + b![3]!, selRes: sel,
        uid: new Uint8Array(b!.subarray(6, 6 + uidLen)), isoDep: (sel & 0x20) !== 0,
      });
    });
  }

  /** APDU exchange with a listed target; cb gets the R-APDU (data + SW1 SW2). */
  inDataExchange(tg: number, apdu: ArrayLike<number>, timeoutMs: number, cb: Pn532Callback<Uint8Array>): void {
    var p = new Uint8Array(apdu.length + 1);
    p[0] = tg;
    p.set(apdu as Uint8Array, 1);
    this.command(Cmd.InDataExchange, p, timeoutMs, 264, function (e, b) {
      if (e) return cb(e);
      if (!b!.length) return cb(err("frame", "empty exchange"));
      var status = b![0]! & 0x3f;
      // 0x01 timeout, 0x02 CRC, 0x13 framing...: the card went away or the RF link broke
      if (status !== 0) return cb(err(status === 0x01 ? "removed" : "status", "card status 0x" + status.toString(16)));
      cb(null, b!.subarray(1)); // a view of this frame's own buffer: the reader zeroes card data in place
    });
  }

  inRelease(tg: number, cb: Pn532Callback<void>): void {
    this.command(Cmd.InRelease, [tg], 100, 4, function (e) { cb(e); });
  }
}
