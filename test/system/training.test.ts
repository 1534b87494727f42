// Training mode (docs/training.md) on the compiled bundle in the simulator: entered with the
// supervisor PIN from MENU 0 SERVICE 3; sales, declines, voids, reports and the settlement run
// against the built-in host; every screen and document is marked; the acquirer hears nothing;
// the real journal's numbers are exactly what they would have been without training; a
// restart comes back live and says so. Needs the bundle built (npx tsx tools/build.ts firmware).
import { strict as assert } from "assert";
import * as zlib from "zlib";
import { Step } from "../../sim/scenario/format";
import { SimTarget } from "../../sim/scenario/target-sim";
import { SettingsStore } from "../../firmware/app/settings";
import { openJournal, Journal, Kind } from "../../firmware/journal/journal";
import { allRecords } from "../support/journal-records";

/** the journal's transaction records (an echo, from MENU 7 or CLOCK "sync now", is a record too) */
const moneyRecords = (j: Journal) => allRecords(j).filter((r) => r.kind !== Kind.Echo);
/** what reached the acquirer besides echoes (network checks, no money) */
const sentBeyondEcho = (t: SimTarget) => t.acquirer.trace.filter((x) => x.mti !== "0800");
import { R, PIN, CASHIER_PIN, sale, play } from "../support/flows";

const SERVICE: Step[] = [{ press: "MENU" }, { press: "MENU" }, { press: "MENU" }, { expectScreen: "0 SERVICE" }, { press: "0" }, { expectScreen: "3 TRAINING" }];
const ENTER_TRAINING: Step[] = [...SERVICE, { press: "3" }, { expectScreen: "for TRAINING" }, ...PIN, { expectScreen: "TRAINING ON" }, { press: "ENTER" },
  { expectScreen: "TRAINING READY", within: 20 }, { expectScreen: "Leave: MENU 0 3" }];
const LEAVE_TRAINING: Step[] = [...SERVICE, { press: "3" }, { expectScreen: "LEAVE?" }, { press: "ENTER" }, { expectScreen: "LIVE MODE" }, { press: "ENTER" }, R,
  { expectNotScreen: "TRAINING", within: 1 }];

/** the STAN, invoice and batch printed on the last receipt */
function lastNumbers(t: SimTarget): string {
  const p = t.receipt();
  const take = (re: RegExp) => { const all = p.match(re); return all ? all[all.length - 1] : "none"; };
  return [take(/STAN: \d{6}/g), take(/INVOICE: \d{6}/g), take(/BATCH: \d{6}/g)].join(" ");
}

/** the printed documents (each ends with a cut) */
function documents(paper: string): string[] {
  return paper.split("[CUT]").map((d) => d.trim()).filter((d) => d.length > 0);
}

/** the screens the firmware logged between two console lines */
function screensBetween(t: SimTarget, from: string, to: string): string[] {
  const c = t.world.console;
  const a = c.indexOf(from), b = c.indexOf(to, a + 1);
  assert.ok(a >= 0, "no console line " + from);
  return c.slice(a + 1, b < 0 ? c.length : b).filter((l) => l.startsWith("SCREEN "));
}

const TRAINING_WORK: Step[] = [
  // an approved sale, a decline by the built-in host's rule (amount ending 51 -> RC 51)
  ...sale("1999"),
  { keys: "1051" }, { press: "ENTER" }, { swipe: "visa-good" }, { expectScreen: "DECLINED", within: 40 }, { expectScreen: "RC 51" }, { press: "ENTER" }, R,
  // a void of the training sale (training invoice 1)
  { press: "MENU" }, { press: "1" }, ...PIN, { expectScreen: "Invoice no" }, { keys: "1" }, { press: "ENTER" }, { expectScreen: "VOID?" }, { press: "ENTER" },
  { expectScreen: "APPROVED", within: 40 }, { expectScreen: "Customer copy?", within: 30 }, { press: "CANCEL" }, R,
  // an X report of the training shift
  { press: "MENU" }, { press: "4" }, ...CASHIER_PIN, { expectReceipt: "X REPORT", within: 30 }, R,
];

describe("training mode on the bundle", function () {
  this.timeout(180000);

  it("sale, decline, void and X report in training: all marked, nothing sent, the real numbers untouched", () => {
    // the same real work with and without a training session in the middle
    const control = new SimTarget();
    play(control, [R, ...sale("1000"), ...sale("1200")]);
    const t = new SimTarget();
    play(t, [R, ...sale("1000")]);
    const sentBefore = t.acquirer.trace.length;
    const paperBefore = t.receipt().length;
    play(t, [...ENTER_TRAINING, ...TRAINING_WORK]);
    assert.equal(t.acquirer.trace.length, sentBefore, "the acquirer received nothing during training");
    assert.match(t.receipt(), /VOID/);
    assert.match(t.receipt(), /X REPORT[\s\S]*000001 SALE\*/, "the X report lists the voided training sale");

    // every screen while training said so (the console logs each screen as drawn)
    const screens = screensBetween(t, "training: on", "the end");
    assert.ok(screens.length > 20);
    for (const s of screens) assert.match(s, /^SCREEN TRAINING/, s);
    // every document printed while training says so at its head and its foot
    const docs = documents(t.receipt().slice(paperBefore));
    assert.equal(docs.length, 3, "sale, void, X report (no customer copies)");
    for (const d of docs) {
      const lines = d.split("\n").map((l) => l.trim());
      assert.deepEqual(lines.slice(0, 2), ["*** TRAINING ***", "NOT A TRANSACTION"], d);
      assert.deepEqual(lines.slice(-2), ["*** TRAINING ***", "NOT A TRANSACTION"], d);
    }
    // the training numbers are the training store's own: they start at 1
    assert.match(docs[0]!, /STAN: 000001/);

    play(t, [...LEAVE_TRAINING]);
    const paperLive = t.receipt().length;
    play(t, [...sale("1200")]);
    assert.equal(lastNumbers(t), lastNumbers(control), "the next real sale has the numbers it would have had");
    assert.ok(!t.receipt().slice(paperLive).includes("TRAINING"), "live receipts are not marked");
    assert.equal(t.ledger().charges.length, 2);
    assert.deepEqual(t.ledger().violations, []);
    // the journal holds the two real sales only
    t.powerCut();
    const j = openJournal(t.world.flash, t.world.board.flashRegions.journal, { crc32: (d) => zlib.crc32(d) >>> 0 });
    assert.deepEqual(moneyRecords(j).map((r) => r.amount), [1000, 1200]);
  });

  it("settlement in training closes the training batch locally; the real batch stays open", () => {
    const t = new SimTarget();
    play(t, [R, ...sale("700"), ...ENTER_TRAINING, ...sale("1500"), { press: "MENU" }, { press: "6" }, ...PIN, { expectScreen: "Sales 1 15.00" }, { press: "ENTER" },
      { expectScreen: "SETTLED", within: 60 }, { expectReceipt: "SETTLEMENT", within: 30 }, { press: "ENTER" }, R,
      ...sale("300"), ...LEAVE_TRAINING]);
    assert.match(t.receipt(), /BATCH: 000002/, "the next training sale is in training batch 2");
    assert.equal(t.ledger().settlements, 0, "nothing settled at the acquirer");
    assert.equal(t.ledger().charges.length, 1);
    // the real batch still holds the real sale only
    play(t, [{ press: "MENU" }, { press: "6" }, ...PIN, { expectScreen: "Sales 1 7.00" }, { press: "CANCEL" }, R]);
  });

  it("a full training batch pauses training sales until it is settled", () => {
    const t = new SimTarget();
    const steps: Step[] = [R, ...ENTER_TRAINING];
    for (let i = 0; i < 10; i++) steps.push(...sale(String(200 + i)));
    steps.push({ expectScreen: "Training full" }, { keys: "5" }, { expectNotScreen: "Swipe or tap", within: 2 });
    play(t, steps);
    assert.deepEqual(sentBeyondEcho(t), []);
  });

  it("a power cut during a training sale comes back live, says so, and leaves no journal record", () => {
    // the control has the same two power cycles (whatever a boot does, both runs do it)
    const control = new SimTarget();
    play(control, [R, { powerCut: true }, { powerOn: true }, R, { powerCut: true }, { powerOn: true }, R, ...sale("1000")]);
    const t = new SimTarget();
    play(t, [R, ...ENTER_TRAINING, { keys: "1000" }, { press: "ENTER" }, { swipe: "visa-good" }, { expectScreen: "Processing" },
      { powerCut: true }, { powerOn: true }, { expectScreen: "TRAINING OFF", within: 20 }, { expectScreen: "Restarted: LIVE" }, { press: "ENTER" }, R,
      { expectNotScreen: "TRAINING", within: 2 }]);
    t.powerCut();
    const j = openJournal(t.world.flash, t.world.board.flashRegions.journal, { crc32: (d) => zlib.crc32(d) >>> 0 });
    assert.equal(moneyRecords(j).length, 0, "no journal record");
    const st = new SettingsStore({ flash: t.world.flash, region: t.world.board.flashRegions.settings, crc32: (d) => zlib.crc32(d) >>> 0 });
    st.load();
    assert.equal(st.values.training, 0, "the flag was cleared");
    play(t, [{ powerOn: true }, R, { expectNotScreen: "TRAINING", within: 2 }, ...sale("1000")]);
    assert.equal(lastNumbers(t), lastNumbers(control));
    assert.equal(t.acquirer.trace.filter((x) => x.mti === "0200").length, 1, "only the real sale reached the acquirer");
  });

  it("a power cut while a training receipt prints: nothing is reprinted at the next boot", () => {
    const t = new SimTarget();
    play(t, [R, ...ENTER_TRAINING, { keys: "1000" }, { press: "ENTER" }, { swipe: "visa-good" }, { expectScreen: "Printing merchant", within: 40 },
      { powerCut: true }, { powerOn: true }, { expectScreen: "TRAINING OFF", within: 20 }, { press: "ENTER" }, R,
      { expectNotScreen: "reprinting", within: 3 }]);
    assert.deepEqual(sentBeyondEcho(t), []);
  });

  it("refused while a reversal is owed to the real host; allowed once it is delivered", () => {
    const t = new SimTarget();
    play(t, [R, { acquirer: { fault: "no-response", mti: "0200", count: 1 } }, { acquirer: { fault: "no-response", mti: "0400", count: 3 } },
      { keys: "1500" }, { press: "ENTER" }, { swipe: "visa-good" }, { expectScreen: "NO RESPONSE", within: 400 }, { press: "ENTER" },
      { expectScreen: "Reversal pending", within: 20 },
      ...SERVICE, { press: "3" }, { expectScreen: "send it first" }, { expectNotScreen: "SUPERVISOR PIN", within: 1 }, { press: "ENTER" },
      { expectScreen: "SERVICE" }, { press: "CANCEL" }, { press: "CANCEL" }, R,
      // the echo test sends the reversal first
      { press: "MENU" }, { press: "MENU" }, { press: "7" }, { expectScreen: "ECHO TEST OK", within: 200 }, { press: "ENTER" }, R,
      { expectNotScreen: "Reversal pending", within: 1 }, ...ENTER_TRAINING]);
    assert.deepEqual(t.ledger().violations, []);
  });
});
