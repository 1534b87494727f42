// Virtual membrane keypad: a contact matrix without diodes on the board's GPIO nets. A closed
// key joins its row net and column net, so the level a column reads is worked out from the
// whole contact graph: it is low when some closed path leads to a row the MCU drives low.
// That gives real ghosting (three keys at rectangle corners close the fourth corner's path)
// and real shorts (a row driven high joined to a row driven low, logged). Presses bounce:
// the contact chatters for a few seeded milliseconds before it settles.
import type { KeypadEntry as KeypadSpec } from "../../drivers/keypad/part.spec";
import type { Level, PartContext, PartFactory, VirtualPart } from "../bus/types";

export interface BounceOptions {
  /** settle time of the contact, seconds (default 4 ms) */
  settle?: number;
  /** number of chatter transitions before it settles (default seeded 2..6; 0 = clean) */
  transitions?: number;
}

export class KeypadMatrixPart implements VirtualPart {
  readonly type = "keypad-matrix";
  /** physical state the user wants (pressed or not), per key bit r*cols+c */
  private pressed: boolean[];
  /** the contact as it is this instant (differs from pressed while bouncing) */
  private closed: boolean[];
  private bounceGen: number[];
  /** how many contacts are closed now (none: every column floats, the common case) */
  private closedCount = 0;
  private seenR: Uint8Array;
  private seenC: Uint8Array;
  private todo: Int32Array;
  /** default bounce for press/release; settle 0 disables it */
  bounce: Required<BounceOptions> = { settle: 0.004, transitions: -1 };
  stats = { presses: 0, releases: 0, chatter: 0, shorts: 0 };

  constructor(readonly role: string, private spec: KeypadSpec, private ctx: PartContext) {
    const n = spec.rows.length * spec.cols.length;
    this.pressed = new Array(n).fill(false);
    this.closed = new Array(n).fill(false);
    this.bounceGen = new Array(n).fill(0);
    this.seenR = new Uint8Array(spec.rows.length);
    this.seenC = new Uint8Array(spec.cols.length);
    this.todo = new Int32Array(spec.cols.length);
    spec.cols.forEach((gpio, c) => ctx.pins.resolve(gpio, role, () => this.columnLevel(c)));
    // with every contact open the columns only float: their resolvers rest until a key closes
    this.setResolversActive(false);
    // a row's output level is cached per net: when it changes, resolve the columns again
    for (const gpio of spec.rows) ctx.pins.onChange(gpio, () => ctx.pins.update());
  }

  // ---- controls ----
  /** press a key by name ("5", "ENTER") or by [row, col] */
  press(key: string | [number, number], bounce: BounceOptions = {}): void {
    const k = this.bit(key);
    if (this.pressed[k]) return;
    this.pressed[k] = true;
    this.stats.presses++;
    this.settle(k, bounce);
  }

  release(key: string | [number, number], bounce: BounceOptions = {}): void {
    const k = this.bit(key);
    if (!this.pressed[k]) return;
    this.pressed[k] = false;
    this.stats.releases++;
    this.settle(k, bounce);
  }

  /** press now, release after `hold` seconds; returns the seconds until the contact is open again */
  tap(key: string | [number, number], hold = 0.08, bounce: BounceOptions = {}): number {
    this.press(key, bounce);
    this.ctx.clock.after(hold, () => this.release(key, bounce));
    return hold + (bounce.settle ?? this.bounce.settle);
  }

  releaseAll(): void { this.pressed.forEach((p, k) => { if (p) this.release(this.toRowCol(k)); }); }

  isDown(key: string | [number, number]): boolean { return this.pressed[this.bit(key)]!; }

  /** names of the keys held */
  down(): string[] { return this.pressed.map((p, k) => (p ? this.nameOf(k) : "")).filter((s) => s); }

  // ---- matrix ----
  private get nc(): number { return this.spec.cols.length; }

  private bit(key: string | [number, number]): number {
    if (Array.isArray(key)) {
      const [r, c] = key;
      if (!(r >= 0 && r < this.spec.rows.length && c >= 0 && c < this.nc)) throw new Error(`keypad: no key at row ${r} column ${c}`);
      return r * this.nc + c;
    }
    for (let r = 0; r < this.spec.keys.length; r++) {
      const c = this.spec.keys[r]!.indexOf(key);
      if (c >= 0) return r * this.nc + c;
    }
    throw new Error(`keypad: no key "${key}" on this keypad`);
  }

  private toRowCol(k: number): [number, number] { return [Math.floor(k / this.nc), k % this.nc]; }
  private nameOf(k: number): string { const [r, c] = this.toRowCol(k); return this.spec.keys[r]![c]!; }

  /** seeded chatter, then the contact follows `pressed` */
  private settle(k: number, b: BounceOptions): void {
    const gen = ++this.bounceGen[k]!;
    const settle = b.settle ?? this.bounce.settle;
    let n = b.transitions ?? this.bounce.transitions;
    if (n < 0) n = 2 + Math.floor(this.ctx.random() * 5);
    if (settle <= 0) n = 0;
    const target = this.pressed[k]!;
    const times: number[] = [];
    for (let i = 0; i < n; i++) times.push(this.ctx.random() * settle);
    times.sort((a, b2) => a - b2);
    this.setContact(k, target);
    let state = target;
    for (const t of times) {
      state = !state;
      const s = state;
      this.ctx.clock.after(t, () => { if (this.bounceGen[k] === gen) { this.stats.chatter++; this.setContact(k, s); } });
    }
    // the contact always ends where the finger left it
    this.ctx.clock.after(settle, () => { if (this.bounceGen[k] === gen) this.setContact(k, target); });
  }

  private setContact(k: number, v: boolean): void {
    if (this.closed[k] === v) return;
    this.closed[k] = v;
    this.closedCount += v ? 1 : -1;
    if (v && this.closedCount === 1) this.setResolversActive(true);
    this.ctx.pins.update();
    if (this.closedCount === 0) this.setResolversActive(false);
  }

  /** switch the column resolvers on or off (an open matrix answers null on every column) when
   *  the nets support it (sim/bus/pins.ts); otherwise they always run */
  private setResolversActive(active: boolean): void {
    const pins = this.ctx.pins as { setResolverActive?: (g: number, owner: string, on: boolean) => void };
    if (typeof pins.setResolverActive !== "function") return;
    for (const gpio of this.spec.cols) pins.setResolverActive.call(this.ctx.pins, gpio, this.role, active);
  }

  private rowSource(r: number): Level | null {
    const gpio = this.spec.rows[r]!;
    const mode = this.ctx.pins.mode(gpio);
    if (mode !== "output" && mode !== "opendrain" && mode !== "opendrain_pullup") return null;
    if (mode === "output") return this.ctx.pins.level(gpio);
    // open drain: only a pulled-low output is a source. The MCU's output latch tells released
    // from pulled low (an unpulled released net reads 0 too); the contract's level() does not.
    const latch = (this.ctx.pins as { outputLevel?: (g: number) => Level }).outputLevel;
    const pulling = latch ? latch.call(this.ctx.pins, gpio) === 0 : this.ctx.pins.level(gpio) === 0;
    return pulling ? 0 : null;
  }

  /** walk the closed contacts from column c; low if a row driven low is reachable */
  private columnLevel(c: number): Level | null {
    if (this.closedCount === 0) return null;
    const nr = this.spec.rows.length, nc = this.nc;
    // scratch space reused across calls (this runs for every column on every net update)
    const seenR = this.seenR, seenC = this.seenC, todo = this.todo;
    for (let i = 0; i < nr; i++) seenR[i] = 0;
    for (let i = 0; i < nc; i++) seenC[i] = 0;
    let n = 0;
    todo[n++] = c;
    seenC[c] = 1;
    let low = false, high = false;
    while (n > 0) {
      const col = todo[--n]!;
      for (let r = 0; r < nr; r++) {
        if (seenR[r] || !this.closed[r * nc + col]) continue;
        seenR[r] = 1;
        const src = this.rowSource(r);
        if (src === 0) low = true; else if (src === 1) high = true;
        for (let c2 = 0; c2 < nc; c2++) {
          if (!seenC[c2] && this.closed[r * nc + c2]) { seenC[c2] = 1; todo[n++] = c2; }
        }
      }
    }
    if (low && high) {
      this.stats.shorts++;
      if (this.stats.shorts === 1) this.ctx.log(`${this.role}: a row driven high is shorted to a row driven low through the keys`);
    }
    return low ? 0 : null;
  }
}

export const createPart: PartFactory = (role, spec, ctx) => new KeypadMatrixPart(role, spec as KeypadSpec, ctx);
