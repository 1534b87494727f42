// The standalone monotonic counter: a cut at every operation of 2500 increments (every flavour),
// double cuts, random-content starts, fault state and recovery.
import { strict as assert } from "assert";
import { MonotonicCounter, CounterRegion } from "../../firmware/journal/counter";
import { PowerCutError } from "../../sim/parts/nor-flash";
import { PROGRAM_FAULTS, ERASE_FAULTS, rng } from "./campaign";
import { crc32, makeFlash } from "./support";

const REG: CounterRegion = { base: 0xe000, sectors: 2, sectorSize: 4096 };

function inc(c: MonotonicCounter): number {
  const v = c.increment();
  if (typeof v !== "number") throw new Error(v.reason);
  return v;
}

describe("monotonic counter", function () {
  this.timeout(300000);

  it("counts 1, 2, 3... across power cycles and sector changes, 1016 increments per erase", () => {
    const flash = makeFlash(REG);
    let c = new MonotonicCounter(flash, REG, crc32);
    assert.equal(c.value(), 0);
    for (let i = 1; i <= 3000; i++) {
      assert.equal(inc(c), i);
      if (i % 700 === 0) c = new MonotonicCounter(flash, REG, crc32);
    }
    assert.equal(new MonotonicCounter(flash, REG, crc32).value(), 3000);
    assert.equal(flash.stats.erases, 2, "the first format needs no erase; then one per 1016");
  });

  it("a cut at every operation of 2500 increments, each flavour: never lower, never repeated, at most one skipped", () => {
    const flash = makeFlash(REG);
    const c = new MonotonicCounter(flash, REG, crc32);
    const snaps: { snap: ReturnType<typeof flash.snapshot>; c: MonotonicCounter; last: number; kinds: string[] }[] = [];
    for (let i = 1; i <= 2500; i++) {
      const snap = flash.snapshot();
      const clone = Object.assign(Object.create(MonotonicCounter.prototype), c, { hdrs: (c as any).hdrs.slice(), fresh: (c as any).fresh.slice() });
      flash.opLog = [];
      inc(c);
      snaps.push({ snap, c: clone, last: i - 1, kinds: flash.opLog });
      flash.opLog = null;
    }
    let cases = 0;
    const failures: string[] = [];
    for (const s of snaps) {
      s.kinds.forEach((kind, at) => {
        for (const f of kind === "e" ? ERASE_FAULTS : PROGRAM_FAULTS) {
          cases++;
          flash.restore(s.snap); flash.reseed(cases);
          const c0 = Object.assign(Object.create(MonotonicCounter.prototype), s.c, { flash, hdrs: (s.c as any).hdrs.slice(), fresh: (s.c as any).fresh.slice() });
          flash.armCut(flash.ops + at, f);
          try { c0.increment(); failures.push("no cut"); } catch (e) { if (!(e instanceof PowerCutError)) throw e; }
          flash.powerOn();
          const r = new MonotonicCounter(flash, REG, crc32);
          const v1 = r.value(), v2 = new MonotonicCounter(flash, REG, crc32).value();
          const n = inc(r);
          if (r.state !== "ok" || v1 < s.last || v1 > s.last + 1 || v2 < v1 || n <= v2 || n > s.last + 2) {
            if (failures.length < 10) failures.push(`after ${s.last} cut at ${at} ${JSON.stringify(f)}: read ${v1} then ${v2}, next ${n}`);
          }
        }
      });
    }
    console.log(`      counter: ${snaps.length} increments, ${cases} cut cases, ${failures.length} failing`);
    assert.deepEqual(failures, []);
  });

  it("double cuts during the first increment after a cut keep the value monotonic", () => {
    const flash = makeFlash(REG);
    const c = new MonotonicCounter(flash, REG, crc32);
    for (let i = 0; i < 1010; i++) inc(c); // close to the sector change
    const base = flash.snapshot();
    let cases = 0;
    for (let first = 0; first < 40; first++) {
      for (let second = 0; second < 12; second++) {
        flash.restore(base); flash.reseed(first * 100 + second);
        let last = 1010;
        const c1 = new MonotonicCounter(flash, REG, crc32);
        flash.armCut(flash.ops + first, { program: "weak", erase: second % 2 ? "weakff" : "mixed" });
        try { for (;;) last = inc(c1); } catch (e) { if (!(e instanceof PowerCutError)) throw e; }
        flash.powerOn();
        const c2 = new MonotonicCounter(flash, REG, crc32);
        const seen = c2.value();
        assert.ok(seen >= last && seen <= last + 1, `after first cut: ${seen} vs ${last}`);
        flash.armCut(flash.ops + second, { program: "torn", erase: "zero" });
        try { for (;;) last = inc(c2); } catch (e) { if (!(e instanceof PowerCutError)) throw e; }
        flash.powerOn();
        const c3 = new MonotonicCounter(flash, REG, crc32);
        const v = c3.value();
        assert.ok(v >= Math.max(last, seen) && v <= Math.max(last, seen) + 2, `after second cut: ${v} vs ${last}`);
        assert.ok(inc(c3) > v);
        cases++;
      }
    }
    console.log(`      counter double cuts: ${cases} cases`);
  });

  it("foreign data is a fault until the supervisor sets a floor; a blank region starts at 0", () => {
    const flash = makeFlash(REG);
    const rand = rng(9);
    const img = new Uint8Array(2 * 4096);
    for (let i = 0; i < img.length; i++) img[i] = Math.floor(rand() * 256);
    flash.load(REG.base, img);
    const c = new MonotonicCounter(flash, REG, crc32);
    assert.equal(c.state, "fault");
    assert.equal((c.increment() as any).code, "fault");
    assert.equal(c.recover(5000), null);
    assert.equal(inc(c), 5001);
    assert.equal(new MonotonicCounter(flash, REG, crc32).value(), 5001);
    flash.load(REG.base, new Uint8Array(2 * 4096));
    assert.equal(new MonotonicCounter(flash, REG, crc32).state, "fault", "all-zero is not blank");
  });
});
