// Power-cut campaign for the audit trail: a cut at EVERY flash operation (each word program,
// each sector erase) of a run of appends that turns the ring several times, in every fault
// flavour (sim/parts/nor-flash.ts), then a reboot. After each cut: the log opens, nothing
// committed is lost, nothing is misread (every entry read back is one that was appended, with
// its fields), the cut entry is either whole or absent, the next append works, and the
// independent verifier (pos-sim audit) finds the chain intact. Then a second cut at every
// operation of that recovery (boot and next append) on a shorter run.
import { strict as assert } from "assert";
import { AuditLog, AuditRegion } from "../../firmware/audit/log";
import { NorSnapshot, PowerCutError, CutFault } from "../../sim/parts/nor-flash";
import { verifyAudit } from "../../sim/commands/audit";
import { PROGRAM_FAULTS, ERASE_FAULTS } from "../journal/campaign";
import { auditRegion, makeFlash, openLog, image, readBack, head } from "./support";

interface Step { snap: NorSnapshot; log: AuditLog; ops: string[]; oldestAfter: number; }

/** the fields of the n-th append (seq n): [seq, event, role, a, b] */
const entry = (n: number) => [n, 1 + (n % 16), n % 4, n * 2654435761 >>> 0, 1000 + n];

function clone(log: AuditLog, flash: any): AuditLog {
  const c = Object.create(AuditLog.prototype), l = log as any;
  Object.assign(c, { flash, sha: l.sha, clock: l.clock, fault: "", st: l.st.slice() });
  return c;
}

function workload(r: AuditRegion, count: number) {
  const flash = makeFlash(r);
  const log = openLog(flash, r);
  const steps: Step[] = [];
  for (let n = 1; n <= count; n++) {
    const snap = flash.snapshot(), before = clone(log, flash);
    flash.opLog = [];
    const e = entry(n);
    assert.ok(log.append(e[1]!, e[2]!, e[3]!, e[4]!));
    const seqs = readBack(log).map((x) => x[0]!);
    steps.push({ snap, log: before, ops: flash.opLog, oldestAfter: seqs[0]! });
    flash.opLog = null;
  }
  return { flash, steps };
}

/** what a recovered log must hold: committed entries 1..n-1 (those not rotated out), the cut
 *  entry n whole or not at all, then `extra` probes */
function check(log: AuditLog, n: number, oldest: number): string[] {
  const got = readBack(log), bad: string[] = [];
  // a cut erase may leave the oldest sector as it was: older entries may still be there
  const start = got.length && got[0]![0]! < oldest ? got[0]![0]! : oldest;
  let i = 0;
  for (let s = start; s < n; s++, i++) {
    if (JSON.stringify(got[i]) !== JSON.stringify(entry(s))) { bad.push(`committed seq ${s}: read ${JSON.stringify(got[i])}`); return bad; }
  }
  if (i < got.length && JSON.stringify(got[i]) === JSON.stringify(entry(n))) i++;
  if (i !== got.length) bad.push(`unexpected entries ${JSON.stringify(got.slice(i))}`);
  return bad;
}

function cutCase(r: AuditRegion, flash: ReturnType<typeof makeFlash>, s: Step, n: number, at: number, f: CutFault, seed: number, second?: { at: number; fault: CutFault }): string[] {
  flash.restore(s.snap);
  flash.reseed(seed);
  const log0 = clone(s.log, flash), e = entry(n);
  flash.armCut(flash.ops + at, f);
  try { log0.append(e[1]!, e[2]!, e[3]!, e[4]!); return ["cut did not fire"]; } catch (x) { if (!(x instanceof PowerCutError)) throw x; }
  flash.powerOn();
  let log: AuditLog;
  if (second) {
    flash.armCut(flash.ops + second.at, second.fault);
    try { log = openLog(flash, r); log.append(99, 0, 0, 0); } catch (x) { if (!(x instanceof PowerCutError)) throw x; }
    flash.disarm();
    flash.powerOn();
  }
  log = openLog(flash, r);
  const oldest = Math.min(s.oldestAfter, n);
  let bad = check(log, n, oldest);
  if (second) bad = bad.filter((b) => !/unexpected entries \[\[\d+,99,0,0,0\]\]/.test(b)); // the cut probe may have landed
  if (bad.length) return bad.map((b) => "after reboot: " + b);
  const next = head(log).seq;
  if (!log.append(18, 3, 7, 7)) return ["append after recovery failed: " + log.fault];
  const rep = verifyAudit(image(flash, r), r.sectorSize);
  if (rep.status !== "intact") return [`verifier: ${rep.status}: ${JSON.stringify(rep.problems)}`];
  const last = rep.entries[rep.entries.length - 1]!;
  if (last.seq !== next || last.event !== 18) return [`probe read as ${JSON.stringify(last)}, next seq was ${next}`];
  const again = readBack(openLog(flash, r));
  if (JSON.stringify(again) !== JSON.stringify(readBack(log))) return ["a second reboot reads differently"];
  return [];
}

function campaign(r: AuditRegion, count: number, minErases: number, label: string): void {
  const { flash, steps } = workload(r, count);
  let cases = 0, programs = 0, erases = 0;
  const failures: string[] = [];
  steps.forEach((s, k) => {
    s.ops.forEach((kind, at) => {
      if (kind === "e") erases++; else programs++;
      for (const f of kind === "e" ? ERASE_FAULTS : PROGRAM_FAULTS) {
        cases++;
        const bad = cutCase(r, flash, s, k + 1, at, f, k * 4096 + at);
        if (bad.length && failures.length < 10) failures.push(`append ${k + 1} op ${at} ${JSON.stringify(f)}: ${bad.join("; ")}`);
      }
    });
  });
  console.log(`      ${label}: ${count} appends, ${programs} word programs + ${erases} erases cut, ${cases} cases, ${failures.length} failing`);
  assert.ok(erases >= minErases, `${erases} erases: the ring did not turn enough`);
  assert.deepEqual(failures, []);
}

describe("audit power-cut campaigns", function () {
  this.timeout(600000);

  it("single cut at every operation of 420 appends, 3 x 4 KiB (the ring turns)", () => {
    campaign(auditRegion(3, 4096), 420, 4, "3 x 4 KiB");
  });

  it("single cut at every operation of 400 appends, 3 x 1 KiB (the ring turns 4 times)", () => {
    campaign(auditRegion(3, 1024), 400, 12, "3 x 1 KiB");
  });

  it("double cuts: a second cut at every operation of the recovery (boot and next append)", () => {
    const r = auditRegion(3, 1024), count = 50;
    const { flash, steps } = workload(r, count);
    let cases = 0;
    const failures: string[] = [];
    steps.forEach((s, k) => {
      s.ops.forEach((kind, at) => {
        const faults = kind === "e" ? ERASE_FAULTS : PROGRAM_FAULTS;
        faults.forEach((f, fi) => {
          // count the recovery's operations after this first cut
          flash.restore(s.snap); flash.reseed(k * 4096 + at);
          const l0 = clone(s.log, flash), e = entry(k + 1);
          flash.armCut(flash.ops + at, f);
          try { l0.append(e[1]!, e[2]!, e[3]!, e[4]!); } catch (x) { if (!(x instanceof PowerCutError)) throw x; }
          flash.powerOn();
          const before = flash.ops;
          openLog(flash, r).append(99, 0, 0, 0);
          const n = flash.ops - before;
          for (let c2 = 0; c2 < n; c2++) {
            const f2 = { ...PROGRAM_FAULTS[c2 % 3], ...ERASE_FAULTS[(c2 + fi) % 5] };
            cases++;
            const bad = cutCase(r, flash, s, k + 1, at, f, k * 4096 + at, { at: c2, fault: f2 });
            if (bad.length && failures.length < 10) failures.push(`append ${k + 1} op ${at} ${JSON.stringify(f)} then ${c2} ${JSON.stringify(f2)}: ${bad.join("; ")}`);
          }
        });
      });
    });
    console.log(`      double cuts: ${count} appends, ${cases} cases, ${failures.length} failing`);
    assert.ok(cases > 10000, `${cases} cases`);
    assert.deepEqual(failures, []);
  });
});
