// The board's GPIO nets. Parts drive or resolve nets; the MCU side (sim/runtime) sets modes
// and output levels. Every change re-resolves the nets that may have moved (the one whose
// mode/output/drive changed, and every net with a resolver, whose inputs are opaque) and
// reports edges to listeners in GPIO order, so a key matrix (a part whose column level
// depends on the MCU's row outputs) just works. Nets whose inputs did not change keep their
// level, so skipping them reports exactly the edges a full re-resolution would.
import type { Clock, Level, PinNets } from "./types";

export const GPIO_COUNT = 40;
const NO_PULLS_FROM = 34; // GPIO 34-39: input only, no pull-up/down

type Listener = (level: Level, t: number) => void;

export class PinNetsImpl implements PinNets {
  private modes: PinMode[] = [];
  private outputs: Level[] = [];
  private drives: Map<string, Level>[] = [];
  private resolvers: Map<string, () => Level | null>[] = [];
  /** bit sets over GPIO 0-31 (lo) and 32-39 (hi): nets whose own inputs (mode, output,
   *  drives) changed since they were last resolved, and nets with a resolver (re-resolved on
   *  every update) */
  private dirtyLo = 0;
  private dirtyHi = 0;
  private resolvedLo = 0;
  private resolvedHi = 0;
  /** per net: how many parts drive it low / high, and its resolvers in registration order
   *  (kept in step with drives/resolvers so resolving a net walks no Map) */
  private lowDrivers: number[] = [];
  private highDrivers: number[] = [];
  private resolverList: (() => Level | null)[][] = [];
  /** owners whose resolver is switched off per net (see setResolverActive) */
  private resolverOff: Set<string>[] = [];
  private levels: Level[] = [];
  private listeners: Listener[][] = [];
  private mcuListeners: ((gpio: number, level: Level, t: number) => void)[] = [];
  private powered = true;
  private updating = false;
  private again = false;

  constructor(private clock: Clock) {
    for (let g = 0; g < GPIO_COUNT; g++) {
      this.modes.push("input_pullup");
      this.outputs.push(0);
      this.drives.push(new Map());
      this.resolvers.push(new Map());
      this.listeners.push([]);
      this.levels.push(0);
      this.lowDrivers.push(0);
      this.highDrivers.push(0);
      this.resolverList.push([]);
      this.resolverOff.push(new Set());
    }
    for (let g = 0; g < GPIO_COUNT; g++) this.levels[g] = this.compute(g);
  }

  level(gpio: number): Level { this.check(gpio); return this.levels[gpio]!; }

  drive(gpio: number, owner: string, level: Level | null): void {
    this.check(gpio);
    const d = this.drives[gpio]!;
    if (level === null) d.delete(owner); else d.set(owner, level);
    let low = 0, high = 0;
    for (const l of d.values()) { if (l === 0) low++; else high++; }
    this.lowDrivers[gpio] = low; this.highDrivers[gpio] = high;
    this.markDirty(gpio);
    this.update();
  }

  resolve(gpio: number, owner: string, resolver: () => Level | null): void {
    this.check(gpio);
    this.resolvers[gpio]!.set(owner, resolver);
    this.resolverOff[gpio]!.delete(owner);
    this.rebuildResolvers(gpio);
    this.update();
  }

  /** Simulator-side extension (not in the PinNets contract): a part whose resolver would only
   *  answer null for a while (a key matrix with every contact open) switches it off, so net
   *  updates skip it; switching it back on marks the net for the next update(). The levels
   *  are the same either way. No update runs here. */
  setResolverActive(gpio: number, owner: string, active: boolean): void {
    this.check(gpio);
    const off = this.resolverOff[gpio]!;
    if (active ? !off.has(owner) : off.has(owner)) return;
    if (active) off.delete(owner); else off.add(owner);
    this.rebuildResolvers(gpio);
  }

  private rebuildResolvers(gpio: number): void {
    const off = this.resolverOff[gpio]!;
    const list: (() => Level | null)[] = [];
    for (const [owner, r] of this.resolvers[gpio]!) if (!off.has(owner)) list.push(r);
    this.resolverList[gpio] = list;
    const bit = gpio < 32 ? 1 << gpio : 1 << (gpio - 32);
    if (gpio < 32) this.resolvedLo = list.length ? this.resolvedLo | bit : this.resolvedLo & ~bit;
    else this.resolvedHi = list.length ? this.resolvedHi | bit : this.resolvedHi & ~bit;
    this.markDirty(gpio);
  }

  onChange(gpio: number, fn: Listener): void { this.check(gpio); this.listeners[gpio]!.push(fn); }

  mode(gpio: number): PinMode { this.check(gpio); return this.modes[gpio]!; }

  /** re-resolve the nets that may have changed; edges go to part listeners, then to the MCU (watch ISRs) */
  update(): void {
    if (this.updating) { this.again = true; return; }
    this.updating = true;
    try {
      do {
        this.again = false;
        const t = this.clock.now();
        // nets in GPIO order; a net marked dirty meanwhile is seen if it comes later in this pass
        for (let g = this.nextCandidate(0); g < GPIO_COUNT; g = this.nextCandidate(g + 1)) {
          if (g < 32) this.dirtyLo &= ~(1 << g); else this.dirtyHi &= ~(1 << (g - 32));
          const l = this.compute(g);
          if (l === this.levels[g]) continue;
          this.levels[g] = l;
          const ls = this.listeners[g]!;
          for (let i = 0; i < ls.length; i++) ls[i]!(l, t);
          const ms = this.mcuListeners;
          for (let i = 0; i < ms.length; i++) ms[i]!(g, l, t);
        }
      } while (this.again);
    } finally { this.updating = false; }
  }

  private markAll(): void { for (let g = 0; g < GPIO_COUNT; g++) this.markDirty(g); }

  private markDirty(g: number): void { if (g < 32) this.dirtyLo |= 1 << g; else this.dirtyHi |= 1 << (g - 32); }

  /** the first dirty or resolved net at or after `from` (GPIO_COUNT when none) */
  private nextCandidate(from: number): number {
    if (from < 32) {
      const m = (this.dirtyLo | this.resolvedLo) >>> from;
      if (m !== 0) return from + 31 - Math.clz32(m & -m);
      from = 32;
    }
    if (from >= GPIO_COUNT) return GPIO_COUNT;
    const m = (this.dirtyHi | this.resolvedHi) >>> (from - 32);
    return m !== 0 ? from + 31 - Math.clz32(m & -m) : GPIO_COUNT;
  }

  // ---- MCU side (sim/runtime) ----
  setMode(gpio: number, mode: PinMode): void { this.check(gpio); this.modes[gpio] = mode; this.markDirty(gpio); this.update(); }
  setOutput(gpio: number, level: Level): void { this.check(gpio); this.outputs[gpio] = level; this.markDirty(gpio); this.update(); }
  outputLevel(gpio: number): Level { return this.outputs[gpio]!; }
  /** the MCU's edge interrupt: every change of any net */
  onMcuEdge(fn: (gpio: number, level: Level, t: number) => void): void { this.mcuListeners.push(fn); }
  /** the supply went away: the MCU drives nothing and pulls nothing; its ISRs are gone */
  powerCut(): void { this.powered = false; this.mcuListeners = []; this.markAll(); this.update(); }
  /** reset state after power-on: every pin input_pullup, outputs low */
  powerOn(): void {
    this.powered = true;
    for (let g = 0; g < GPIO_COUNT; g++) { this.modes[g] = "input_pullup"; this.outputs[g] = 0; }
    this.markAll();
    this.update();
  }

  private compute(g: number): Level {
    const mode = this.modes[g]!;
    if (this.powered && mode === "output") return this.outputs[g]!;
    let low = this.powered && (mode === "opendrain" || mode === "opendrain_pullup") && this.outputs[g] === 0;
    if (this.lowDrivers[g]! > 0) low = true;
    let high = this.highDrivers[g]! > 0;
    const rs = this.resolverList[g]!;
    for (let i = 0; i < rs.length; i++) {
      const l = rs[i]!();
      if (l === 0) low = true; else if (l === 1) high = true;
    }
    if (low) return 0;
    if (high) return 1;
    if (!this.powered || g >= NO_PULLS_FROM) return 0;
    if (mode === "input_pullup" || mode === "opendrain_pullup") return 1;
    return 0;
  }

  private check(gpio: number): void {
    if (!(gpio >= 0 && gpio < GPIO_COUNT && Math.floor(gpio) === gpio)) throw new Error("no such GPIO: " + gpio);
  }
}
