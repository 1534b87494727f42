// The one virtual clock: a min-heap of (time, sequence) so events at the same instant run in
// the order they were scheduled. Nothing here reads the wall clock.
// Cancelling is rare (a few dozen per simulated sale against thousands of events), so a
// cancelled event is found by a scan and marked, and dropped when it reaches the top: the
// common path (schedule, run) keeps no index.
import type { Clock } from "./types";

/** the wall-clock time at virtual t = 0 (ms since 1970; its UTC fields are the acquirer's local
 *  time): the simulated host's clock is WORLD_EPOCH_MS + now() * 1000 (docs/time.md) */
export const WORLD_EPOCH_MS = Date.UTC(2026, 11, 4, 9, 0, 0);
/** the simulated acquirer's local time is UTC+01:00: the virtual SNTP server (sim/bus/sntp.ts)
 *  tells WORLD_EPOCH_MS + now() * 1000 less this, and a terminal provisioned with this UTC
 *  offset (utcOffset 60) reads the acquirer's time from it (docs/time.md) */
export const WORLD_UTC_OFFSET_MINUTES = 60;

/** handle = seq + 1 */
interface Entry { t: number; seq: number; fn: () => void; cancelled: boolean; }

export class VirtualClock implements Clock {
  private heap: Entry[] = [];
  /** cancelled entries still in the heap */
  private cancelledCount = 0;
  private seq = 0;
  private t = 0;

  now(): number { return this.t; }

  at(t: number, fn: () => void): number {
    if (Number.isNaN(t)) throw new Error("VirtualClock: event time is NaN");
    const e: Entry = { t: Math.max(t, this.t), seq: this.seq++, fn, cancelled: false };
    this.push(e);
    return e.seq + 1;
  }

  after(dt: number, fn: () => void): number { return this.at(this.t + Math.max(0, dt), fn); }

  cancel(handle: number): void {
    const seq = handle - 1;
    if (!(seq >= 0 && seq < this.seq)) return;
    const h = this.heap;
    for (let i = 0; i < h.length; i++) {
      const e = h[i]!;
      if (e.seq === seq) {
        if (!e.cancelled) { e.cancelled = true; this.cancelledCount++; }
        return;
      }
    }
  }

  /** time of the earliest pending event, or Infinity */
  nextTime(): number {
    this.dropCancelled();
    return this.heap.length ? this.heap[0]!.t : Infinity;
  }

  pending(): number { return this.heap.length - this.cancelledCount; }

  /** Run every event due at or before t in (time, schedule) order, then set now = t.
   *  Re-entrant: an event may itself advance the clock (a blocking UART write). */
  advanceTo(t: number): void {
    for (;;) {
      this.dropCancelled();
      const top = this.heap[0];
      if (!top || top.t > t) break;
      this.pop();
      if (top.t > this.t) this.t = top.t;
      top.fn();
    }
    if (t > this.t) this.t = t;
  }

  /** run one event if any is due by `limit`; returns false when none */
  step(limit = Infinity): boolean {
    const next = this.nextTime();
    if (next > limit) return false;
    this.advanceTo(next);
    return true;
  }

  /** forget every pending event (power cut of the whole world is not this: parts keep theirs).
   *  UART wires match their events to bytes in order: powerCut() them after this. */
  clear(): void { this.heap = []; this.cancelledCount = 0; }

  private dropCancelled(): void {
    while (this.cancelledCount > 0 && this.heap.length && this.heap[0]!.cancelled) { this.pop(); this.cancelledCount--; }
  }

  private push(e: Entry): void {
    // sift up with a hole: parents move down until e's place is found
    const h = this.heap;
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const q = h[p]!;
      if (q.t < e.t || (q.t === e.t && q.seq < e.seq)) break;
      h[i] = q;
      i = p;
    }
    h[i] = e;
  }

  private pop(): Entry | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    const n = h.length;
    if (n && last) {
      // sift the last entry down from the root with a hole
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        let m = l;
        const r = l + 1;
        if (r < n) { const a = h[r]!, b = h[l]!; if (a.t < b.t || (a.t === b.t && a.seq < b.seq)) m = r; }
        const c = h[m]!;
        if (!(c.t < last.t || (c.t === last.t && c.seq < last.seq))) break;
        h[i] = c;
        i = m;
      }
      h[i] = last;
    }
    return top;
  }
}
