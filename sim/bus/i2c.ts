// A simulated I2C bus: address-keyed targets, one write() or read() per master transaction.
// An absent address or a target throwing NackError makes the master's call fail, as on the
// device ("I2C ... no ACK").
import { NackError, type Clock, type I2CBusSim, type I2CTarget } from "./types";

export type I2CTransaction = { address: number; dir: "w" | "r"; data: Uint8Array; ok: boolean; time: number };

export class I2CError extends Error {}

export class I2CBusImpl implements I2CBusSim {
  private targets = new Map<number, I2CTarget>();
  private observers: ((t: I2CTransaction) => void)[] = [];
  /** bits per second the master clocks at (set by the firmware's setup) */
  bitrate = 100000;

  constructor(readonly id: string, private clock: Clock) {}

  attach(target: I2CTarget): void {
    if (this.targets.has(target.address)) throw new Error(`I2C ${this.id}: address 0x${target.address.toString(16)} already taken`);
    this.targets.set(target.address, target);
  }
  detach(address: number): void { this.targets.delete(address); }
  onTransaction(fn: (t: I2CTransaction) => void): void { this.observers.push(fn); }

  /** seconds the bus is busy for a transaction of n data bytes (address + data, 9 bits each) */
  duration(n: number): number { return ((n + 1) * 9 + 2) / this.bitrate; }

  /** master write; throws I2CError on NACK */
  write(address: number, data: Uint8Array): void {
    const t = this.targets.get(address);
    let ok = false;
    try {
      if (!t) throw new NackError("no device");
      t.write(new Uint8Array(data));
      ok = true;
    } catch (e) {
      if (!(e instanceof NackError)) throw e;
    } finally {
      if (this.observers.length) this.notify({ address, dir: "w", data: new Uint8Array(data), ok, time: this.clock.now() });
    }
    if (!ok) throw new I2CError(`I2C Error: no ACK (address 0x${address.toString(16)})`);
  }

  /** master read; throws I2CError on NACK */
  read(address: number, length: number): Uint8Array {
    const t = this.targets.get(address);
    let out: Uint8Array | undefined;
    try {
      if (!t) throw new NackError("no device");
      const got = t.read(length);
      out = new Uint8Array(length);
      out.set(got.subarray(0, length));
      // bytes a target does not supply read as 0xFF (SDA pulled up)
      if (got.length < length) out.fill(0xff, got.length);
    } catch (e) {
      if (!(e instanceof NackError)) throw e;
    } finally {
      if (this.observers.length) this.notify({ address, dir: "r", data: out ?? new Uint8Array(0), ok: !!out, time: this.clock.now() });
    }
    if (!out) throw new I2CError(`I2C Error: no ACK (address 0x${address.toString(16)})`);
    return out;
  }

  private notify(t: I2CTransaction): void { for (const fn of this.observers) fn(t); }
}
