// The engine on the real flash journal (firmware/journal on the NOR model), against the
// acquirer over the virtual network: a power cut at every flash operation of a sale, crossed
// with network faults. After recovery, the next host message and a settlement: the acquirer's
// ledger shows no double charge, no STAN reuse, every unanswered sale reversed, totals equal,
// and the journal agrees with the ledger.
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

function journalWorld(flash: NorFlash): World {
  return makeWorld({ openStore: () => createJournalStore(openJournal(flash, REGION, { crc32 })) });
}


function checkLedger(w: World) {
  const l = w.acq.ledger(TID);
  assert.equal(l.doubleCharges, 0, "double charges");
  assert.deepEqual(l.violations, [], "violations");
  const approved = records(w.store).filter((r) => r.state === "APPROVED" && r.kind !== "VOID");
  // the terminal's open batch = the host's open batch, plus what the host settled under the
  // same batch number when the terminal's batch close was cut
  const b = w.store.currentBatch();
  const live = l.all.filter((c) => c.state === "approved" && (c.batch >= 0 || c.batch === -b));
  assert.deepEqual(live.map((c) => c.invoice + ":" + c.amount).sort(), approved.map((r) => r.invoice + ":" + r.amount).sort(), "host = journal");
}

describe("host engine on the flash journal", () => {
  it("sale, void, refund and settlement on the journal", () => {
    const flash = new NorFlash({ ranges: [{ base: REGION.base, size: REGION.sectors * REGION.sectorSize }] });
    const w = journalWorld(flash);
    const a = runCut<TxnResult>(w, (cb) => w.engine.sale(card(1000), cb)).value!;
    assert.equal(a.approved, true);
    assert.ok(a.slot >= 0, "journal slot for markPrinted");
    assert.equal(runCut<TxnResult>(w, (cb) => w.engine.sale(card(2051), cb)).value!.outcome, "DECLINED");
    assert.equal(runCut<TxnResult>(w, (cb) => w.engine.refund(card(300), cb)).value!.approved, true);
    const v = runCut<TxnResult>(w, (cb) => w.engine.voidByInvoice(a.invoice, cb)).value!;
    assert.equal(v.approved, true);
    assert.equal(w.store.findByInvoice(a.invoice)!.state, "VOIDED");
    checkLedger(w);
    const st = runCut<any>(w, (cb) => w.engine.settle(cb)).value!;
    assert.deepEqual([st.approved, st.uploaded, st.totals.saleCount, st.totals.refundCount], [true, 0, 0, 1]);
    assert.equal(w.store.currentBatch(), 2);
  });

  it("a void approved but cut before the original was marked voided: derived, then repaired at boot", () => {
    const flash = new NorFlash({ ranges: [{ base: REGION.base, size: REGION.sectors * REGION.sectorSize }] });
    const w = journalWorld(flash);
    const a = runCut<TxnResult>(w, (cb) => w.engine.sale(card(1000), cb)).value!;
    const j = openJournal(flash, REGION, { crc32 });
    const v = j.reserve(3 /* Kind.Void */, { amount: 1000, origInvoice: a.invoice }) as any;
    assert.equal(j.markAnswered(v.slot, 1 /* Approved */, "00", "123456", "000000000009"), null);
    assert.equal(j.bySlot(a.slot)!.voided, false, "the cut: original not marked");
    const store = createJournalStore(openJournal(flash, REGION, { crc32 }));
    assert.equal(store.findByInvoice(a.invoice)!.state, "VOIDED");
    assert.equal(openJournal(flash, REGION, { crc32 }).bySlot(a.slot)!.voided, true, "repaired");
  });

  it("numbers survive a reboot: no STAN reuse across power cycles", () => {
    const flash = new NorFlash({ ranges: [{ base: REGION.base, size: REGION.sectors * REGION.sectorSize }] });
    const w = journalWorld(flash);
    const stans: number[] = [];
    for (let i = 0; i < 5; i++) {
      stans.push(runCut<TxnResult>(w, (cb) => w.engine.sale(card(100 + i), cb)).value!.stan);
      w.reboot();
    }
    assert.equal(new Set(stans).size, 5);
    assert.equal(w.acq.ledger(TID).violations.length, 0);
  });

  // every flash op of a void, a refund and a settlement (network fine)
  const ops: { name: string; setup: (w: World) => void; op: (w: World, cb: (e: any, v?: any) => void) => void }[] = [
    { name: "void", setup: (w) => { runCut(w, (cb) => w.engine.sale(card(1200), cb)); }, op: (w, cb) => w.engine.voidByInvoice(2, cb) },
    { name: "refund", setup: () => {}, op: (w, cb) => w.engine.refund(card(300), cb) },
    { name: "settlement", setup: (w) => { runCut(w, (cb) => w.engine.sale(card(1200), cb)); }, op: (w, cb) => w.engine.settle(cb) },
  ];
  for (const o of ops) {
    it(`power cut at every flash operation of a ${o.name}`, () => {
      const probe = new NorFlash({ ranges: [{ base: REGION.base, size: REGION.sectors * REGION.sectorSize }] });
      const pw = journalWorld(probe);
      runCut(pw, (cb) => pw.engine.sale(card(700), cb));
      o.setup(pw);
      const before = probe.ops;
      runCut(pw, (cb) => o.op(pw, cb));
      const n = probe.ops - before;
      assert.ok(n > 0);
      for (let k = 0; k < n; k++) {
        const flash = new NorFlash({ ranges: [{ base: REGION.base, size: REGION.sectors * REGION.sectorSize }], seed: k + 1 });
        const w = journalWorld(flash);
        runCut(w, (cb) => w.engine.sale(card(700), cb));
        o.setup(w);
        flash.armCut(flash.ops + k, { program: k % 2 ? "torn" : "clean" });
        assert.equal(runCut(w, (cb) => o.op(w, cb)).cut, true);
        flash.powerOn();
        w.reboot();
        const next = runCut<TxnResult>(w, (cb) => w.engine.sale(card(500), cb));
        assert.equal(next.value && next.value.approved, true, `op ${k}: next sale ${next.err ? next.err.message : next.value!.outcome}`);
        checkLedger(w);
        const st = runCut<any>(w, (cb) => w.engine.settle(cb)).value!;
        assert.equal(st.approved, true, `op ${k}: settlement ${JSON.stringify(st)}`);
        assert.deepEqual(w.acq.ledger(TID).violations, [], `op ${k}`);
        assert.equal(w.acq.ledger(TID).doubleCharges, 0, `op ${k}`);
      }
      console.log(`      ${o.name}: ${n} cut points`);
    });
  }

  // the fault matrix at engine level: every flash op of a sale x network faults
  const netFaults: { name: string; rule: FaultRule | null }[] = [
    { name: "no fault", rule: null },
    { name: "no response", rule: { mti: "0200", fault: "noResponse" } },
    { name: "disconnect mid-reply", rule: { mti: "0200", fault: "disconnectMid" } },
    { name: "garbled reply", rule: { mti: "0200", fault: "garbled" } },
    { name: "declined", rule: { mti: "0200", fault: "rc", rc: "05" } },
  ];
  for (const nf of netFaults) {
    it(`power cut at every flash operation of a sale, network: ${nf.name}`, () => {
      // how many flash operations does this sale take?
      const probe = new NorFlash({ ranges: [{ base: REGION.base, size: REGION.sectors * REGION.sectorSize }] });
      const pw = journalWorld(probe);
      runCut(pw, (cb) => pw.engine.sale(card(700), cb));
      const before = probe.ops;
      if (nf.rule) pw.acq.inject(nf.rule);
      runCut(pw, (cb) => pw.engine.sale(card(900), cb));
      const opsPerSale = probe.ops - before;
      assert.ok(opsPerSale > 0);
      let cases = 0;
      for (let k = 0; k < opsPerSale; k++) {
        const flash = new NorFlash({ ranges: [{ base: REGION.base, size: REGION.sectors * REGION.sectorSize }], seed: k + 1 });
        const w = journalWorld(flash);
        runCut(w, (cb) => w.engine.sale(card(700), cb));
        if (nf.rule) w.acq.inject(nf.rule);
        flash.armCut(flash.ops + k, { program: k % 2 ? "torn" : "clean" });
        const r = runCut(w, (cb) => w.engine.sale(card(900), cb));
        assert.equal(r.cut, true, `op ${k}: the cut fired`);
        flash.powerOn();
        w.reboot();
        w.acq.clearFaults();
        // recovery: the next host message clears any reversal first
        const next = runCut<TxnResult>(w, (cb) => w.engine.sale(card(500), cb));
        assert.equal(next.err, null, `op ${k}: ${next.err && next.err.message}`);
        assert.equal(next.value!.approved, true, `op ${k}: next sale ${next.value!.outcome}`);
        assert.equal(w.engine.pendingWork().reversal, false);
        checkLedger(w);
        const st = runCut<any>(w, (cb) => w.engine.settle(cb)).value!;
        assert.equal(st.approved, true, `op ${k}: settlement ${JSON.stringify(st)}`);
        assert.equal(st.uploaded, 0, `op ${k}: totals agreed without upload`);
        const stans = w.acq.trace.filter((t) => t.mti !== "0400").map((t) => t.stan);
        assert.equal(new Set(stans).size, stans.length, `op ${k}: no STAN reused`);
        cases++;
      }
      assert.equal(cases, opsPerSale);
      console.log(`      ${nf.name}: ${cases} cut points`);
    });
  }
});
