// Random sessions: sales, refunds, voids, echoes and settlements with random network faults
// and random power cuts at flash operations, on the real journal. Whatever happens, after the
// terminal recovers and settles: no double charge, no violation at the acquirer, host charges
// = journal approvals, and the settlement agrees without a batch upload.
import { strict as assert } from "assert";
import * as zlib from "zlib";
import { NorFlash } from "../../sim/parts/nor-flash";
import { openJournal } from "../../firmware/journal/journal";
import { createJournalStore } from "../../firmware/host/journal-store";
import type { FaultRule } from "../../sim/acquirer/acquirer";
import type { TxnResult } from "../../firmware/host/types";
import { makeWorld, card, World, SETTINGS, runCut, records } from "./world";

const REGION = { base: 0x310000, sectors: 16, sectorSize: 4096 };
const crc32 = (d: Uint8Array) => zlib.crc32(d);
const TID = SETTINGS.tid;

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return (n: number) => { s = (s * 1103515245 + 12345) >>> 0; return (s >>> 8) % n; };
}


const FAULTS: (FaultRule | "linkDown" | null)[] = [
  null, null, null,
  { fault: "noResponse" }, { fault: "drop" }, { fault: "late", delayMs: 5000 }, { fault: "late", delayMs: 45000 },
  { fault: "garbled" }, { fault: "disconnectMid" }, { fault: "duplicate" }, { fault: "rc", rc: "05" },
  { fault: "rc", rc: "Q9", process: true }, "linkDown",
];

function session(seed: number, steps: number) {
  const rnd = rng(seed);
  const flash = new NorFlash({ ranges: [{ base: REGION.base, size: REGION.sectors * REGION.sectorSize }], seed });
  const w = makeWorld({
    openStore: () => createJournalStore(openJournal(flash, REGION, { crc32 })),
    engine: { floorLimit: 0 } as any,
  });
  const stats = { cuts: 0, settled: 0, ops: 0, outcomes: {} as { [o: string]: number } };
  const invoices: number[] = [];
  for (let i = 0; i < steps; i++) {
    const f = FAULTS[rnd(FAULTS.length)]!;
    if (f === "linkDown") w.net.setUp(false);
    else if (f) w.acq.inject({ ...f, count: 1 + rnd(2) });
    if (rnd(6) === 0) flash.armCut(flash.ops + rnd(12), { program: rnd(2) ? "torn" : "clean" });
    const pick = rnd(10);
    const r = runCut<any>(w, (cb) => {
      if (pick < 5) w.engine.sale(card(100 + rnd(5000)), cb);
      else if (pick < 6) w.engine.refund(card(100 + rnd(900)), cb);
      else if (pick < 8 && invoices.length) w.engine.voidByInvoice(invoices[rnd(invoices.length)]!, cb);
      else if (pick < 9) w.engine.echo(cb);
      else w.engine.settle(cb);
    });
    stats.ops++;
    const o = r.cut ? "CUT" : r.err ? "ERR_" + r.err.code : r.value.outcome ?? "?";
    stats.outcomes[o] = (stats.outcomes[o] ?? 0) + 1;
    if (r.value && (r.value as TxnResult).approved && (r.value as TxnResult).kind !== "VOID") invoices.push((r.value as TxnResult).invoice);
    if (r.value && r.value.totals && r.value.approved) { stats.settled++; invoices.splice(0); }
    if (r.err && r.err.code === "JOURNAL") assert.fail(`seed ${seed} step ${i}: journal error ${r.err.message}`);
    flash.disarm();
    w.net.setUp(true);
    w.acq.clearFaults();
    if (r.cut) { stats.cuts++; flash.powerOn(); w.reboot(); }
    else if (!r.value && !r.err) { w.reboot(); } // still waiting (cannot happen: every path ends)
  }
  // recover and settle with a clean network
  const fl = runCut<any>(w, (cb) => w.engine.flush(cb));
  assert.equal(fl.value.reversalPending, false, `seed ${seed}: reversal left`);
  const l = w.acq.ledger(TID);
  assert.deepEqual(l.violations, [], `seed ${seed}: violations`);
  assert.equal(l.doubleCharges, 0, `seed ${seed}: double charges`);
  const b = w.store.currentBatch();
  const host = l.all.filter((c) => c.state === "approved" && (c.batch >= 0 || c.batch === -b)).map((c) => c.invoice + ":" + c.amount).sort();
  const term = records(w.store).filter((r) => r.state === "APPROVED" && r.kind !== "VOID").map((r) => r.invoice + ":" + r.amount).sort();
  assert.deepEqual(host, term, `seed ${seed}: host charges = journal approvals`);
  const st = runCut<any>(w, (cb) => w.engine.settle(cb)).value;
  assert.equal(st.approved, true, `seed ${seed}: final settlement ${JSON.stringify(st)}`);
  assert.equal(st.uploaded, 0, `seed ${seed}: totals agreed without upload`);
  const stans = w.acq.trace.filter((t) => t.mti !== "0400").map((t) => t.stan);
  assert.equal(new Set(stans).size, stans.length, `seed ${seed}: a STAN was reused`);
  return stats;
}

describe("host engine: random sessions with network faults and power cuts", () => {
  it("20 seeds x 120 operations keep every promise", () => {
    let cuts = 0, ops = 0, settled = 0;
    const outcomes: { [o: string]: number } = {};
    for (let seed = 1; seed <= 20; seed++) {
      const s = session(seed, 120);
      cuts += s.cuts; ops += s.ops; settled += s.settled;
      for (const k of Object.keys(s.outcomes)) outcomes[k] = (outcomes[k] ?? 0) + s.outcomes[k]!;
    }
    console.log(`      ${ops} operations, ${cuts} power cuts, ${settled} settlements; outcomes ${JSON.stringify(outcomes)}`);
    assert.ok((outcomes.APPROVED ?? 0) > 300 && (outcomes.NO_RESPONSE ?? 0) > 50 && (outcomes.BAD_RESPONSE ?? 0) > 20);
    assert.ok(cuts > 50);
  });
});
