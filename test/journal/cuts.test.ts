// Power-cut campaigns (CI): a cut at EVERY flash operation (each word program, each erase) of
// a 1000-operation workload, in every fault flavour, then recovery and the invariant checks
// (flash-journal.md 5.1 I1-I6); double cuts over a smaller workload. Case counts are printed.
import { strict as assert } from "assert";
import { JournalRegion } from "../../firmware/journal/journal";
import { reference, cutCase, recoveryOps, PROGRAM_FAULTS, ERASE_FAULTS, Workload } from "./campaign";
import { makeFlash, region } from "./support";

/** starts near the wrap so STAN, invoice and batch all pass 999999 -> 1 during the workload */
const NEAR_WRAP = { stan: 999800, invoice: 999900, batch: 999995 };

function singleCuts(reg: JournalRegion, w: Workload, label: string): void {
  const flash = makeFlash(reg);
  let cases = 0, programs = 0, erases = 0;
  const failures: string[] = [];
  w.steps.forEach((s, k) => {
    s.ops.forEach((kind, at) => {
      if (kind === "e") erases++; else programs++;
      for (const f of kind === "e" ? ERASE_FAULTS : PROGRAM_FAULTS) {
        cases++;
        const bad = cutCase(reg, flash, s, at, f, k * 4096 + at);
        if (bad.length && failures.length < 10) failures.push(`step ${k} ${JSON.stringify(s.op)} op ${at} ${JSON.stringify(f)}: ${bad.join("; ")}`);
      }
    });
  });
  console.log(`      ${label}: ${w.steps.length} operations, ${programs} word programs + ${erases} erases cut, ${cases} cases, ${failures.length} failing`);
  assert.deepEqual(failures, []);
}

function counts(w: Workload): { reserves: number; closes: number; states: number; answers: number } {
  const c = { reserves: 0, closes: 0, states: 0, answers: 0 };
  for (const s of w.steps) {
    if (s.op.t === "reserve") c.reserves++; else if (s.op.t === "close") c.closes++; else if (s.op.t === "answer") c.answers++; else c.states++;
  }
  return c;
}

describe("journal power-cut campaigns", function () {
  this.timeout(600000);

  it("single cut at every operation of 1000 mixed operations, 16 x 4 KiB geometry subset (3 sectors)", () => {
    const reg = region(3);
    const w = reference(reg, 1000, 7, NEAR_WRAP);
    const c = counts(w);
    assert.ok(c.reserves > 300 && c.closes > 10 && c.states > 200 && c.answers > 150, JSON.stringify(c));
    assert.ok(w.final.lastStan < 999800 && w.final.batch < 999995, "the workload wrapped every counter");
    singleCuts(reg, w, "4 KiB sectors");
  });

  it("single cut at every operation, 1 KiB sectors so the ring turns over (many erases)", () => {
    const reg: JournalRegion = { base: 0x310000, sectors: 4, sectorSize: 1024 };
    const w = reference(reg, 1000, 11, NEAR_WRAP);
    assert.ok(w.steps.reduce((n, s) => n + s.ops.filter((o) => o === "e").length, 0) >= 15, "erases");
    singleCuts(reg, w, "1 KiB sectors");
  });

  it("double cuts: a second cut at every operation of the recovery after each first cut", () => {
    const reg: JournalRegion = { base: 0x310000, sectors: 3, sectorSize: 1024 };
    const w = reference(reg, 60, 5, NEAR_WRAP);
    const flash = makeFlash(reg);
    let cases = 0;
    const failures: string[] = [];
    w.steps.forEach((s, k) => {
      s.ops.forEach((kind, at) => {
        const faults = kind === "e" ? ERASE_FAULTS : PROGRAM_FAULTS;
        faults.forEach((f, fi) => {
          const seed = k * 4096 + at * 8 + fi;
          const n = recoveryOps(reg, flash, s, at, f, seed);
          for (let c2 = 0; c2 < n; c2++) {
            // rotate the second cut's flavour over program and erase faults
            const f2 = { ...PROGRAM_FAULTS[c2 % 3], ...ERASE_FAULTS[(c2 + fi) % 5] };
            cases++;
            const bad = cutCase(reg, flash, s, at, f, seed, { at: c2, fault: f2 });
            if (bad.length && failures.length < 10) failures.push(`step ${k} op ${at} ${JSON.stringify(f)} then ${c2} ${JSON.stringify(f2)}: ${bad.join("; ")}`);
          }
        });
      });
    });
    console.log(`      double cuts: ${w.steps.length} operations, ${cases} cases, ${failures.length} failing`);
    assert.ok(cases > 5000);
    assert.deepEqual(failures, []);
  });
});
