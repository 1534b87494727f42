// Paced ESC/POS printer driver over a UART with no flow control. Espruino's Serial.write
// blocks the whole interpreter once its 256-byte TX queue is full, and cheap printers
// neither pause us (no RTS/CTS) nor honour anything but a guess, so we pace ourselves:
// - chunks of about 50 ms of wire time (32..128 bytes), cut at command boundaries (encoder
//   marks), written only when the TX queue has room for them: write never blocks;
// - a model of the mechanism (dot rows / (8 * mmPerSecond)) keeps at most `leadSeconds` of
//   printing and `bufferBytes` of data queued in the printer, so nothing overflows;
// - real-time status (DLE EOT 1/2/4) before a job and every `queryMs` while sending, and
//   after the last byte has printed; no reply within `statusTimeoutMs` = offline;
// - paper out or cover open: stop at a command boundary, report, poll until fixed, close the
//   partial receipt ("PRINT INTERRUPTED", cut) and print the job again rendered as a reprint.
import { UartPort, Timers } from "../hal";
import { EscPosEncoder } from "./encoder";
import { PrintJob } from "../print-doc";
import { PrinterStatus, StatusReader, emptyStatus } from "./status";

export interface PrinterOptions {
  uart: UartPort;
  io: Timers;
  baud: number;
  /** dots per line (384 for 58 mm) */
  dots: number;
  /** characters per line in font A, given to the job's layout as enc.columns (default 32) */
  columns?: number;
  /** mechanism speed, mm of paper per second */
  mmPerSecond: number;
  statusTimeoutMs?: number;
  /** status poll while sending, ms */
  queryMs?: number;
  /** status poll while waiting for paper or a closed cover, ms */
  waitPollMs?: number;
  /** give up waiting for paper after this long (0 = wait until cancel()) */
  waitLimitMs?: number;
  /** seconds of printing to keep queued in the printer ahead of the mechanism */
  leadSeconds?: number;
  /** bytes we allow in the printer's receive buffer (cheap modules: 1..4 KB) */
  bufferBytes?: number;
  /** paper out, cover open, near end, ready: for the screen */
  onStatus?: (what: string, st: PrinterStatus) => void;
}

export interface PrintError { code: string; message: string; }
export interface PrintResult {
  /** bytes written including status queries and reprints */
  bytes: number;
  /** times the job was printed again after paper out / cover open */
  reprints: number;
  /** seconds from start to the last dot row (estimated by the pacing model) */
  seconds: number;
  nearEnd: boolean;
}
export type PrintCallback = (err: PrintError | null, result?: PrintResult) => void;

const SECONDS_PER_BIT_BYTE = 10; // 8N1: bits per byte
const TX_QUEUE = 256;
const DOTS_PER_MM = 8;
const Q_ONLINE = new Uint8Array([0x10, 0x04, 0x01]);
const Q_OFFLINE = new Uint8Array([0x10, 0x04, 0x02]);
const Q_PAPER = new Uint8Array([0x10, 0x04, 0x04]);

const enum Phase { Idle = 0, Checking = 1, Sending = 2, Draining = 3, Waiting = 4 }

export class EscPosPrinter {
  /** the options as given (the probe prints baud, dots and speed from them) */
  readonly o: PrinterOptions;
  private reader = new StatusReader();
  /** the job's bytes; only while a job runs (2 KiB + marks is ~190 JsVars on Espruino) */
  private enc: EscPosEncoder | null = null;
  private phase = Phase.Idle;
  private job: PrintJob<EscPosEncoder> | null = null;
  private cb: PrintCallback | null = null;
  private timer = -1;
  private statusTimer = -1;
  private onReplies: (() => void) | null = null;
  private chunkMax: number;
  private byteTime: number;
  private dotTime: number;
  // job progress
  private pos = 0;
  private mark = 0;
  private started = false;
  private reprints = 0;
  private written = 0;
  private t0 = 0;
  private waitStart = 0;
  /** last time a status reply said the printer was printing */
  private lastOkAt = 0;
  private lastQuery = 0;
  /** time by which the open status requests must be answered */
  private queryDue = 0;
  private reported = "";
  // pacing model (seconds, io.getTime() clock)
  private uartFree = 0;
  private mechFree = 0;
  private recEnd: number[] = [];
  private recBytes: number[] = [];

  constructor(opts: PrinterOptions) {
    this.o = opts;
    this.byteTime = SECONDS_PER_BIT_BYTE / opts.baud;
    this.dotTime = 1 / (DOTS_PER_MM * opts.mmPerSecond);
    var c = Math.floor(0.05 / this.byteTime);
    this.chunkMax = c < 32 ? 32 : c > 128 ? 128 : c;
    var self = this;
    opts.uart.on("data", function (d: string) { self.reader.feed(d); self.replied(); });
  }

  busy(): boolean { return this.phase !== Phase.Idle; }

  /** Real-time status (DLE EOT 1, 2, 4). err.code "OFFLINE" when the printer does not answer. */
  status(cb: (err: PrintError | null, st?: PrinterStatus) => void): void {
    if (this.phase !== Phase.Idle) { cb(null, this.reader.status); return; }
    var self = this;
    this.query(true, function (err) {
      if (err) cb(err); else cb(null, self.copyStatus());
    });
  }

  /** Prints a job; cb(err, result) once it is out, or an error code: OFFLINE, BUSY, CANCELLED, LAYOUT,
   *  PAPER_OUT / COVER_OPEN (only with waitLimitMs; otherwise it waits until cancel()). */
  print(job: PrintJob<EscPosEncoder>, cb: PrintCallback): void {
    if (this.phase !== Phase.Idle) {
      this.o.io.setTimeout(function () { cb({ code: "BUSY", message: "printer busy with another job" }); }, 0);
      return;
    }
    this.job = job;
    this.cb = cb;
    this.reprints = 0;
    this.written = 0;
    this.t0 = this.o.io.getTime();
    this.reported = "";
    try {
      this.render(false);
    } catch (e) {
      // a layout bug or bad record must not leave the driver half-started
      this.job = null;
      this.cb = null;
      var msg = "receipt layout failed: " + ((e as any) && (e as any).message ? (e as any).message : String(e));
      this.o.io.setTimeout(function () { cb({ code: "LAYOUT", message: msg }); }, 0);
      return;
    }
    this.check(true);
  }

  /** Abandons the job in progress (its callback gets CANCELLED). */
  cancel(): void {
    if (this.phase === Phase.Idle) return;
    this.finish({ code: "CANCELLED", message: "print cancelled" });
  }

  // ---- job steps ----

  private render(reprint: boolean): void {
    if (!this.enc) this.enc = new EscPosEncoder(2048);
    this.enc.reset();
    if (this.o.columns) this.enc.columns = this.o.columns;
    this.job!.render(this.enc, reprint);
    this.pos = 0;
    this.mark = 0;
    this.started = false;
  }

  /** status before sending; a fresh job starts the pacing model from an idle printer */
  private check(fresh: boolean): void {
    this.phase = Phase.Checking;
    var self = this;
    this.query(true, function (err) {
      if (err) { self.finish(err); return; }
      if (self.blocked()) { self.waitForPaper(); return; }
      self.report("ready");
      var now = self.o.io.getTime();
      if (fresh) {
        self.uartFree = now;
        self.mechFree = now;
        self.recEnd.splice(0);
        self.recBytes.splice(0);
      }
      self.lastQuery = now;
      self.phase = Phase.Sending;
      self.send();
    });
  }

  private send(): void {
    this.timer = -1;
    var io = this.o.io;
    var now = io.getTime();
    var bytes = this.enc!.bytes();
    if (this.reader.openRequests() > 0 && now > this.queryDue) {
      this.report("offline");
      this.finish({ code: "OFFLINE", message: "printer stopped answering status requests" });
      return;
    }
    var atMark = this.pos === 0 || (this.mark > 0 && this.enc!.markOffset(this.mark - 1) === this.pos);
    if (atMark && this.blocked()) { this.waitForPaper(); return; }
    if (this.pos >= bytes.length) { this.drain(); return; }
    // chunk: up to the last mark within chunkMax, else chunkMax bytes (mid-command)
    var limit = this.pos + this.chunkMax;
    var end = -1, m = this.mark, dots = 0;
    var startDots = m > 0 ? this.enc!.markDotsAt(m - 1) : 0;
    while (m < this.enc!.markCount() && this.enc!.markOffset(m) <= limit) { end = this.enc!.markOffset(m); m++; }
    if (end <= this.pos) { end = limit < bytes.length ? limit : bytes.length; }
    else { dots = this.enc!.markDotsAt(m - 1) - startDots; this.mark = m; }
    if (!this.started) this.started = true;
    this.write(bytes.subarray(this.pos, end), now, dots);
    this.pos = end;
    var endsAtMark = this.mark > 0 && this.enc!.markOffset(this.mark - 1) === end;
    if (endsAtMark && now - this.lastQuery >= (this.o.queryMs || 250) / 1000 && this.reader.openRequests() === 0) {
      this.lastQuery = now;
      this.request(Q_PAPER, 4);
      this.request(Q_OFFLINE, 2);
    }
    this.schedule(this.nextSendTime(now, bytes.length - this.pos));
  }

  /** when the next chunk fits the TX queue, the printer's buffer and the lead window */
  private nextSendTime(now: number, left: number): number {
    var next = left < this.chunkMax ? left : this.chunkMax;
    var t = this.uartFree - (TX_QUEUE - next - 6) * this.byteTime; // 6: status queries
    var lead = this.mechFree - (this.o.leadSeconds || 0.5);
    if (lead > t) t = lead;
    // printer buffer: wait until enough earlier chunks have printed
    var budget = (this.o.bufferBytes || 1024) - next;
    var inPrinter = 0;
    for (var i = this.recEnd.length - 1; i >= 0; i--) {
      inPrinter += this.recBytes[i]!;
      if (inPrinter > budget) { if (this.recEnd[i]! > t) t = this.recEnd[i]!; break; }
    }
    return t > now ? t : now;
  }

  private write(data: Uint8Array, now: number, dots: number): void {
    var start = this.uartFree > now ? this.uartFree : now;
    this.uartFree = start + data.length * this.byteTime;
    var mech = (this.mechFree > start ? this.mechFree : start) + dots * this.dotTime;
    this.mechFree = mech > this.uartFree ? mech : this.uartFree;
    this.recEnd.push(this.mechFree);
    this.recBytes.push(data.length);
    while (this.recEnd.length > 0 && this.recEnd[0]! < now) { this.recEnd.shift(); this.recBytes.shift(); }
    this.written += data.length;
    this.o.uart.write(data);
  }

  /** all bytes sent: wait for the mechanism, then confirm paper did not run out meanwhile */
  private drain(): void {
    this.phase = Phase.Draining;
    var self = this;
    var wait = this.mechFree - this.o.io.getTime();
    this.timer = this.o.io.setTimeout(function () {
      self.timer = -1;
      self.query(false, function (err) {
        if (err) { self.finish(err); return; }
        if (self.blocked()) { self.waitForPaper(); return; }
        self.finish(null);
      });
    }, (wait > 0 ? wait : 0) * 1000 + 20);
  }

  private waitForPaper(): void {
    var st = this.reader.status;
    this.phase = Phase.Waiting;
    this.report(st.coverOpen ? "cover open" : "paper out");
    var io = this.o.io;
    if (this.waitStart === 0) this.waitStart = io.getTime();
    var limit = this.o.waitLimitMs || 0;
    if (limit > 0 && (io.getTime() - this.waitStart) * 1000 >= limit) {
      this.finish(st.coverOpen ? { code: "COVER_OPEN", message: "printer cover open" } : { code: "PAPER_OUT", message: "printer out of paper" });
      return;
    }
    var self = this;
    this.timer = io.setTimeout(function () {
      self.timer = -1;
      self.query(false, function (err) {
        if (err) { self.finish(err); return; }
        if (self.blocked()) { self.waitForPaper(); return; }
        self.resume();
      });
    }, this.o.waitPollMs || 500);
  }

  /** paper is back: close the partial receipt and print the whole job again as a reprint */
  private resume(): void {
    var now = this.o.io.getTime();
    // the mechanism stood still since (at the earliest) the last good status: what it still
    // holds prints from now on
    var stood = now - (this.lastOkAt > this.t0 ? this.lastOkAt : this.waitStart);
    this.waitStart = 0;
    this.mechFree += stood;
    for (var i = 0; i < this.recEnd.length; i++) this.recEnd[i] = this.recEnd[i]! + stood;
    if (this.started) {
      var e = this.enc!;
      e.reset().init().newline().line("-- PRINT INTERRUPTED --").feed(3).cut();
      this.write(e.bytes(), now, e.dots);
      this.reprints++;
      this.render(true);
    }
    this.check(false);
  }

  private finish(err: PrintError | null): void {
    var cb = this.cb;
    var result: PrintResult = {
      bytes: this.written, reprints: this.reprints,
      seconds: this.mechFree - this.t0, nearEnd: this.reader.status.nearEnd,
    };
    this.stopTimers();
    this.phase = Phase.Idle;
    this.job = null;
    this.enc = null;
    this.cb = null;
    this.waitStart = 0;
    if (err) this.reader.clear();
    if (cb) { if (err) cb(err); else cb(null, result); }
  }

  // ---- status ----

  private blocked(): boolean {
    var st = this.reader.status;
    return st.paperOut || st.coverOpen;
  }

  private request(q: Uint8Array, n: number): void {
    this.reader.requested(n);
    this.written += 3;
    this.uartFree = (this.uartFree > this.o.io.getTime() ? this.uartFree : this.o.io.getTime()) + 3 * this.byteTime;
    this.queryDue = this.uartFree + (this.o.statusTimeoutMs || 200) / 1000;
    this.o.uart.write(q);
  }

  /** asks DLE EOT (1,) 2, 4 and calls back when all are answered or after the timeout */
  private query(full: boolean, cb: (err: PrintError | null) => void): void {
    var self = this;
    if (full) this.request(Q_ONLINE, 1);
    this.request(Q_OFFLINE, 2);
    this.request(Q_PAPER, 4);
    var wireWait = (this.uartFree - this.o.io.getTime()) * 1000;
    this.onReplies = function () { cb(null); };
    this.statusTimer = this.o.io.setTimeout(function () {
      self.statusTimer = -1;
      self.onReplies = null;
      self.reader.clear();
      self.report("offline");
      cb({ code: "OFFLINE", message: "printer does not answer status requests" });
    }, (wireWait > 0 ? wireWait : 0) + (this.o.statusTimeoutMs || 200));
  }

  /** data arrived: complete a status query once every request is answered */
  private replied(): void {
    if (this.reader.openRequests() === 0 && this.onReplies) {
      var fn = this.onReplies;
      this.onReplies = null;
      if (this.statusTimer >= 0) { this.o.io.clearTimeout(this.statusTimer); this.statusTimer = -1; }
      fn();
    }
    var st = this.reader.status;
    if (!st.paperOut && !st.coverOpen) this.lastOkAt = this.o.io.getTime();
    if (st.nearEnd && this.reported !== "paper near end" && !st.paperOut) this.report("paper near end");
  }

  private report(what: string): void {
    if (what === this.reported) return;
    this.reported = what;
    if (this.o.onStatus) this.o.onStatus(what, this.copyStatus());
  }

  private copyStatus(): PrinterStatus {
    var s = this.reader.status, c = emptyStatus();
    c.paperOut = s.paperOut; c.nearEnd = s.nearEnd; c.coverOpen = s.coverOpen; c.offline = s.offline; c.error = s.error;
    return c;
  }

  private schedule(t: number): void {
    var self = this;
    var ms = (t - this.o.io.getTime()) * 1000;
    this.timer = this.o.io.setTimeout(function () { self.send(); }, ms > 1 ? ms : 1);
  }

  private stopTimers(): void {
    if (this.timer >= 0) { this.o.io.clearTimeout(this.timer); this.timer = -1; }
    if (this.statusTimer >= 0) { this.o.io.clearTimeout(this.statusTimer); this.statusTimer = -1; }
    this.onReplies = null;
  }
}
