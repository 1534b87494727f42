// One UART wire pair between the MCU and a part. 8N1 framing: 10 bit times per byte at the
// baud rate. The MCU's TX queue holds 256 bytes; a write that finds it full blocks the
// interpreter until bytes have left (returned as the time the write completes).
import type { Clock, UartSim } from "./types";

export const BITS_PER_BYTE = 10;
export const TX_QUEUE_BYTES = 256;

export class UartWire implements UartSim {
  private txListeners: ((byte: number, t: number) => void)[] = [];
  private rxSink: ((byte: number, t: number) => void) | null = null;
  private txStarts: number[] = []; // start times of the last TX_QUEUE_BYTES bytes (ring)
  private txCount = 0;
  private txEnd = 0;
  private rxEnd = 0;
  /** bytes on the wire each way, oldest first: their clock events fire in this order (each
   *  byte ends strictly after the one before), so one shared callback takes the head */
  private tx = new ByteFifo();
  private rx = new ByteFifo();
  private currentBaud: number;
  /** bytes ever sent each way (figures) */
  stats = { txBytes: 0, rxBytes: 0, rxDropped: 0 };

  constructor(readonly id: string, private clock: Clock, baud: number) { this.currentBaud = baud; }

  get baud(): number { return this.currentBaud; }
  byteTime(): number { return BITS_PER_BYTE / this.currentBaud; }

  // ---- part side ----
  onTx(fn: (byte: number, t: number) => void): void { this.txListeners.push(fn); }

  send(bytes: Uint8Array | number[] | string): void {
    const data = typeof bytes === "string" ? Buffer.from(bytes, "latin1") : bytes;
    for (let i = 0; i < data.length; i++) {
      const b = data[i]! & 0xff;
      const end = Math.max(this.rxEnd, this.clock.now()) + this.byteTime();
      this.rxEnd = end;
      this.rx.push(b, end, this.clock.at(end, this.rxDone));
    }
  }

  private readonly rxDone = (): void => {
    const b = this.rx.headByte(), end = this.rx.headEnd();
    this.rx.shift();
    this.stats.rxBytes++;
    if (this.rxSink) this.rxSink(b, end); else this.stats.rxDropped++;
  };

  private readonly txDone = (): void => {
    const b = this.tx.headByte(), end = this.tx.headEnd();
    this.tx.shift();
    this.stats.txBytes++;
    const ls = this.txListeners;
    for (let i = 0; i < ls.length; i++) ls[i]!(b, end);
  };

  // ---- MCU side ----
  setBaud(baud: number): void { this.currentBaud = baud; }
  /** where received bytes go (the runtime's ISR); null = receiver off */
  setRxSink(fn: ((byte: number, t: number) => void) | null): void { this.rxSink = fn; }

  /** Queue bytes for transmission at time `now`; returns the time the write call returns
   *  (later than now when the 256-byte queue was full). */
  mcuWrite(data: ArrayLike<number>, now: number): number {
    let t = now;
    for (let i = 0; i < data.length; i++) {
      const k = this.txCount;
      if (k >= TX_QUEUE_BYTES) {
        const freedAt = this.txStarts[k % TX_QUEUE_BYTES]!; // start of byte k-256
        if (freedAt > t) t = freedAt;
      }
      const start = Math.max(this.txEnd, t);
      const end = start + this.byteTime();
      this.txStarts[k % TX_QUEUE_BYTES] = start;
      this.txCount++;
      this.txEnd = end;
      this.tx.push(data[i]! & 0xff, end, this.clock.at(end, this.txDone));
    }
    return t;
  }

  /** time the last queued TX byte leaves the wire */
  txIdleAt(): number { return Math.max(this.txEnd, this.clock.now()); }

  /** MCU lost power: bytes not yet on the wire are lost, the receiver is off */
  powerCut(): void {
    this.tx.cancelAll(this.clock);
    this.rx.cancelAll(this.clock);
    this.rxSink = null;
    this.txEnd = this.rxEnd = this.clock.now();
    this.txStarts = [];
    this.txCount = 0;
  }
}

/** a FIFO of (byte, end time, clock handle) in flat arrays (no object per byte) */
class ByteFifo {
  private bytes: number[] = [];
  private ends: number[] = [];
  private handles: number[] = [];
  private head = 0;

  push(byte: number, end: number, handle: number): void { this.bytes.push(byte); this.ends.push(end); this.handles.push(handle); }
  headByte(): number { return this.bytes[this.head]!; }
  headEnd(): number { return this.ends[this.head]!; }
  shift(): void {
    if (++this.head === this.bytes.length) this.clear();
    else if (this.head >= 1024 && this.head * 2 >= this.bytes.length) {
      this.bytes.splice(0, this.head); this.ends.splice(0, this.head); this.handles.splice(0, this.head);
      this.head = 0;
    }
  }
  cancelAll(clock: Clock): void {
    for (let i = this.head; i < this.handles.length; i++) clock.cancel(this.handles[i]!);
    this.clear();
  }
  private clear(): void { this.bytes.length = 0; this.ends.length = 0; this.handles.length = 0; this.head = 0; }
}
