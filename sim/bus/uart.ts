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
  private inFlight = new Set<number>();
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
      const h = this.clock.at(end, () => {
        this.inFlight.delete(h);
        this.stats.rxBytes++;
        if (this.rxSink) this.rxSink(b, end); else this.stats.rxDropped++;
      });
      this.inFlight.add(h);
    }
  }

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
      const b = data[i]! & 0xff;
      const h = this.clock.at(end, () => {
        this.inFlight.delete(h);
        this.stats.txBytes++;
        for (const fn of this.txListeners) fn(b, end);
      });
      this.inFlight.add(h);
    }
    return t;
  }

  /** time the last queued TX byte leaves the wire */
  txIdleAt(): number { return Math.max(this.txEnd, this.clock.now()); }

  /** MCU lost power: bytes not yet on the wire are lost, the receiver is off */
  powerCut(): void {
    for (const h of this.inFlight) this.clock.cancel(h);
    this.inFlight.clear();
    this.rxSink = null;
    this.txEnd = this.rxEnd = this.clock.now();
    this.txStarts = [];
    this.txCount = 0;
  }
}
