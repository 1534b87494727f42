// make soak: a seeded random power-cut campaign on one live journal (not in CI).
//   tsx test/journal/soak.ts --cuts 1000000 [--seed S] [--sectors 4] [--sector-size 4096]
// Each round runs the workload until a cut fires at a random operation with a random fault
// flavour, sometimes cuts again during the recovery, boots, checks the invariants (I1-I6,
// campaign.ts) and carries on from the recovered journal. Prints one summary line.
import { PowerCutError, CutFault, ProgramFault, EraseFault } from "../../sim/parts/nor-flash";
import { Kind, JournalRegion } from "../../firmware/journal/journal";
import { Model, InFlight, Op, chooseOp, exec, check, archive, rng, probeOps } from "./campaign";
import { makeFlash, open, dist } from "./support";
import { cliArgs } from "../../sim/cli-args";
import { allRecords } from "../support/journal-records";

const HELP = "usage: tsx test/journal/soak.ts [--cuts N] [--seed S] [--sectors 4] [--sector-size 4096]";
const parsed = cliArgs("soak", process.argv.slice(2), {
  cuts: { type: "int", min: 1 }, seed: { type: "int", min: 0 },
  sectors: { type: "int", min: 2, max: 64 }, "sector-size": { type: "int", min: 1024, max: 65536 },
}, HELP);
if (typeof parsed === "number") process.exit(parsed);
const CUTS = parsed.values.cuts ?? 100000;
const SEED = parsed.values.seed ?? Date.now() % 1000000;
const reg: JournalRegion = { base: 0x310000, sectors: parsed.values.sectors ?? 4, sectorSize: parsed.values["sector-size"] ?? 4096 };
const first = { stan: 999000, invoice: 999500, batch: 999990 };

const rand = rng(SEED);
const PF: ProgramFault[] = ["clean", "torn", "weak"];
const EF: EraseFault[] = ["old", "zero", "mixed", "weakff", "done"];
const fault = (): CutFault => ({ program: PF[Math.floor(rand() * 3)], erase: EF[Math.floor(rand() * 5)] });

const flash = makeFlash(reg, SEED);
let j = open(flash, reg, first);
const m: Model = { recs: [], lastStan: first.stan - 1, lastInv: first.invoice - 1, batch: first.batch, archived: new Map(), archSeq: 0 };
let cutsStan = 0, cutsInv = 0, n = 0, cuts = 0, doubles = 0, ops = 0, failures = 0;
const t0 = Date.now();

/** archives settled records and drops them from the live list (no op refers to them any more) */
function compact(): void {
  archive(m);
  m.recs = m.recs.filter((r) => r);
}

/** runs ops until the armed cut fires; returns the op in flight */
function runUntilCut(): InFlight | null {
  for (let k = 0; k < 10000; k++) {
    const op: Op = chooseOp(m, rand, n++);
    let cur: Op = op; // the call in progress when a cut fires
    const next = j.next();
    try {
      const done = exec(j, m, op);
      if (!done) { // journal full: settle, as the terminal would
        cur = { t: "close" };
        if (!exec(j, m, cur)) throw new Error("journal full and cannot settle: " + j.diag());
        compact();
        cur = op;
        if (op.t !== "reserve" && !exec(j, m, op)) throw new Error("journal full after settling");
      }
      ops++;
      if (done && op.t === "reserve") { cutsStan = 0; if (op.kind === Kind.Sale || op.kind === Kind.Refund) cutsInv = 0; }
      if (done && op.t === "close") compact();
    } catch (e) {
      if (e instanceof PowerCutError) return { op: cur, next };
      throw e;
    }
  }
  return null;
}

/** adopts what the recovered journal shows for ops whose call never returned */
function reconcile(inflight: InFlight[]): void {
  const recs = allRecords(j);
  for (let k = 0; k < inflight.length; k++) {
    const f = inflight[k]!, op = f.op, later = inflight.length - 1 - k; // cuts after this one
    if (op.t === "reserve") {
      const r = recs.find((x) => x.stan === f.next.stan && x.kind === op.kind && x.amount === op.amount);
      if (r) {
        m.recs.push({ slot: r.slot, kind: r.kind, stan: r.stan, invoice: r.invoice, batch: r.batch, amount: r.amount, last4: r.last4,
          token: [...r.token], time: r.time, st: {}, answer: null });
        // it took its numbers; a later call may already have taken higher ones
        if (dist(m.lastStan, r.stan) < 1000) { m.lastStan = r.stan; cutsStan = later; }
        if ((op.kind === Kind.Sale || op.kind === Kind.Refund) && dist(m.lastInv, r.invoice) < 1000) { m.lastInv = r.invoice; cutsInv = later; }
      }
    }
  }
  for (let i = 0; i < m.recs.length; i++) {
    const mr = m.recs[i];
    if (!mr) continue;
    const r = recs.find((x) => x.slot === mr.slot && x.stan === mr.stan);
    if (!r) continue;
    const flags: [string, boolean][] = [["sent", r.sent], ["printed", r.printed], ["voided", r.voided], ["uploaded", r.uploaded],
      ["revset", r.reversalSet], ["revcleared", r.reversalCleared], ["reversed", r.reversed]];
    for (const [k, v] of flags) if (v) mr.st[k] = true;
    if (!mr.answer && r.result) mr.answer = { result: r.result, rc: r.rc, auth: r.authCode, rrn: r.rrn };
  }
}

while (cuts < CUTS) {
  flash.armCut(flash.ops + Math.floor(rand() * 80), fault());
  const f1 = runUntilCut();
  if (!f1) continue;
  cuts++; cutsStan++; cutsInv++;
  const inflight = [f1];
  flash.powerOn();
  j = open(flash, reg, first);
  if (rand() < 0.25) { // a second cut during the recovery work
    flash.armCut(flash.ops + Math.floor(rand() * 24), fault());
    for (const op of probeOps(m, n)) {
      const next = j.next();
      try { if (!exec(j, m, op)) break; if (op.t === "reserve") cutsStan = cutsInv = 0; }
      catch (e) { if (!(e instanceof PowerCutError)) throw e; inflight.push({ op, next }); cuts++; doubles++; cutsStan++; cutsInv++; break; }
    }
    flash.disarm();
    flash.powerOn();
    j = open(flash, reg, first);
  }
  const bad = check(j, m, inflight, cutsStan, cutsInv);
  if (bad.length) {
    failures++;
    if (failures <= 5) console.log(`FAIL seed ${SEED} cut ${cuts}: ${bad.join("; ")}`);
  }
  reconcile(inflight);
}
const s = ((Date.now() - t0) / 1000).toFixed(1);
console.log(`soak: ${cuts} cuts (${doubles} during recovery), ${ops} journal operations, ${failures} failing rounds, seed ${SEED}, ` +
  `${reg.sectors} x ${reg.sectorSize} B, ${s} s`);
process.exitCode = failures ? 1 : 0;
