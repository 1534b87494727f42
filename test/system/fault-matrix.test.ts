// The fault matrix: a sale on the built bundle with a network fault at each step x a power
// cut at EVERY flash operation the sale performs, then recovery (boot), a settlement, and
// the promise checked on both sides:
//   - the acquirer: zero double charges, no STAN reused, every unanswered sale reversed
//     (no live charge the terminal does not count), settlement accepted with equal totals;
//   - the terminal: its batch totals (SETTLE? screen, from the journal) equal the ledger's.
// Each case starts from a snapshot of the flash image taken at READY (fresh world, same
// image), so the cases are independent and cheap. The case count is printed.
import { strict as assert } from "assert";
import { SimTarget } from "../../sim/scenario/target-sim";
import { formatAmount } from "../../firmware/util/money";
import type { CutFault } from "../../sim/parts/nor-flash";
import { waitFor } from "../support/flows";

/** how the operation the power cut interrupts is torn (sim/parts/nor-flash.ts): each row of
 *  the matrix runs with every flavour */
const FLAVOURS: { name: string; fault: CutFault }[] = [
  { name: "clean", fault: { program: "clean", erase: "old" } },
  { name: "torn", fault: { program: "torn", erase: "mixed" } },
  { name: "weak", fault: { program: "weak", erase: "weakff" } },
];

interface NetFault { name: string; arm(t: SimTarget): void; heal(t: SimTarget): void; }

const NET_FAULTS: NetFault[] = [
  // "after reply before the journal" is the cut at the journal write that follows the reply,
  // which this fault-free row reaches at its later cut points
  { name: "none (incl. after reply, before the journal)", arm: () => {}, heal: () => {} },
  { name: "before send (link down)", arm: (t) => t.network(false), heal: (t) => t.network(true) },
  { name: "after send, before reply (reply lost)", arm: (t) => t.acquirer.inject({ fault: "noResponse", mti: "0200" }), heal: (t) => t.acquirer.clearFaults() },
  { name: "during reply (disconnect mid-message)", arm: (t) => t.acquirer.inject({ fault: "disconnectMid", mti: "0200" }), heal: (t) => t.acquirer.clearFaults() },
  { name: "during reply (garbled)", arm: (t) => t.acquirer.inject({ fault: "garbled", mti: "0200" }), heal: (t) => t.acquirer.clearFaults() },
];

const AMOUNT = 1234;
/** a sale is over when one of these is on the screen */
const SALE_END = ["Customer copy?", "DECLINED", "NO RESPONSE", "NO CONNECTION", "HOST ERROR"];

function screenHas(t: SimTarget, texts: string[]): boolean {
  const s = t.screen().join(" | ");
  return texts.some((x) => s.includes(x));
}


function keys(t: SimTarget, s: string[]): void { for (const k of s) { t.press(k); t.run(0.15); } }

/** boots a fresh terminal (settings provisioned, journal formatted) and returns its flash
 *  image at READY */
function baseImage(): Record<number, Uint8Array> {
  const t = new SimTarget();
  assert.ok(waitFor(t, 20, () => screenHas(t, ["READY"])), "boot: " + t.screen().join(" | "));
  return t.world.flashImage();
}

/** how the sale ended at the acquirer once the terminal recovered */
type Outcome = "charged" | "reversed" | "not-charged";
interface CaseResult { cutFired: boolean; outcome?: Outcome; }

/** where the sale's power cut lands: at flash operation n of the sale, or in time, the
 *  moment the host's 0210 is on its way back (after the reply, before any journal write) */
type Cut = { op: number } | { replyInFlight: true } | { afterSale: true };

function runCase(image: Record<number, Uint8Array>, f: NetFault, cut: Cut, bootCutAt = -1, flavour: CutFault = {}): CaseResult {
  const t = new SimTarget({ flashImage: image });
  const where = "op" in cut ? `cut at op ${cut.op}` : "replyInFlight" in cut ? "cut with the reply in flight" : "cut after the sale";
  const at = (what: string) => `[${f.name}, ${where}${bootCutAt >= 0 ? `, boot cut at op ${bootCutAt}` : ""}] ${what}; screen: ${t.screen().join(" | ")}; console: ${t.world.console.slice(-6).join(" / ")}`;
  assert.ok(waitFor(t, 20, () => screenHas(t, ["READY"])), at("boot"));
  f.arm(t);
  keys(t, [...String(AMOUNT), "ENTER"]);
  if ("op" in cut) t.world.flash.armCut(t.world.flash.ops + cut.op, flavour);
  t.swipe("visa-good");
  if ("op" in cut) {
    waitFor(t, 180, () => !t.world.powered || screenHas(t, SALE_END));
  } else if ("afterSale" in cut) {
    assert.ok(waitFor(t, 240, () => screenHas(t, SALE_END)), at("sale end"));
    t.powerCut();
  } else {
    const answered = () => t.acquirer.trace.some((x) => x.mti === "0200");
    const end = t.now() + 60;
    while (!answered() && t.now() < end) t.run(0.001);
    assert.ok(answered(), at("the host never answered"));
    t.powerCut();
  }
  const cutFired = !t.world.powered;
  t.world.flash.disarm();
  if (!cutFired) return { cutFired };
  t.run(1);
  f.heal(t);
  if (bootCutAt >= 0) {
    // a second cut during the recovery itself (the boot's reversal and its journal writes)
    t.world.flash.armCut(t.world.flash.ops + bootCutAt, flavour);
    t.powerOn();
    waitFor(t, 240, () => !t.world.powered || screenHas(t, ["READY"]));
    const again = !t.world.powered;
    t.world.flash.disarm();
    if (!again) return { cutFired: false };
    t.run(1);
  }
  t.powerOn();
  // boot: pending reversal sent, an unfinished receipt reprinted
  assert.ok(waitFor(t, 240, () => screenHas(t, ["READY"])), at("recovery to READY"));
  // the terminal's own totals, from the journal, on the SETTLE? screen
  keys(t, ["MENU", "6", "1", "2", "3", "4", "ENTER"]);
  assert.ok(waitFor(t, 10, () => screenHas(t, ["SETTLE?"])), at("settle confirm"));
  const mine = t.screen().join(" | ");
  const l = t.ledger();
  const want = `Sales ${l.totals.saleCount} ${formatAmount(l.totals.saleAmount)}`;
  assert.ok(mine.includes(want), at(`terminal totals disagree with the ledger (${want})`));
  keys(t, ["ENTER"]);
  assert.ok(waitFor(t, 240, () => screenHas(t, ["SETTLED", "SETTLE FAILED"])), at("settlement"));
  assert.ok(screenHas(t, ["SETTLED"]), at("settlement refused"));
  const after = t.ledger();
  assert.equal(after.doubleCharges, 0, at("double charge"));
  const bad = after.violations.filter((v: any) => v.type !== "ORPHAN_REVERSAL");
  assert.deepEqual(bad, [], at("ledger violations"));
  assert.equal(after.settlements, 1, at("settlements"));
  // every sale the terminal did not count was reversed: live charges = the terminal's count
  assert.equal(l.charges.length, l.totals.saleCount + l.totals.refundCount, at("live charges"));
  assert.deepEqual(t.world.errors.map((e) => e.message), [], at("firmware exceptions"));
  const outcome: Outcome = l.charges.length ? "charged" : l.reversed ? "reversed" : "not-charged";
  return { cutFired, outcome };
}

describe("fault matrix: network fault x power cut at every flash operation of a sale", function () {
  this.timeout(1800000);
  let image: Record<number, Uint8Array>;
  let total = 0;

  before(() => { image = baseImage(); });
  after(() => { console.log(`      fault matrix: ${total} cases (${NET_FAULTS.length} network faults x every flash operation of a sale x ${FLAVOURS.length} tear flavours, a cut with the reply in flight, cuts in the recovery, cuts in a void)`); });

  for (const f of NET_FAULTS) {
    it(f.name, () => {
      for (const fl of FLAVOURS) {
        let cases = 0;
        const outcomes: { [o: string]: number } = {};
        for (let op = 0; op < 2000; op++) {
          const r = runCase(image, f, { op }, -1, fl.fault);
          if (!r.cutFired) break; // the sale finished before reaching this operation: all cut points done
          cases++;
          outcomes[r.outcome!] = (outcomes[r.outcome!] ?? 0) + 1;
        }
        total += cases;
        console.log(`        ${fl.name}: ${cases} cut points: ${Object.entries(outcomes).map(([k, v]) => `${v} ${k}`).join(", ")}`);
        assert.ok(cases > 0, "no flash operation during the sale");
      }
    });
  }

  it("void: power cut at every flash operation of a void", () => {
    // the sale is done live on each case's terminal (the acquirer must know it), then the void
    let cases = 0;
    const outcomes: { [o: string]: number } = {};
    for (let op = 0; op < 500; op++) {
      const t = new SimTarget({ flashImage: image });
      const at = (what: string) => `[void, cut at op ${op}] ${what}; screen: ${t.screen().join(" | ")}`;
      assert.ok(waitFor(t, 20, () => screenHas(t, ["READY"])), at("boot"));
      keys(t, [...String(AMOUNT), "ENTER"]);
      t.swipe("visa-good");
      assert.ok(waitFor(t, 60, () => screenHas(t, ["Customer copy?"])), at("sale"));
      keys(t, ["CANCEL", "MENU", "1", "1", "2", "3", "4", "ENTER", "1", "ENTER"]);
      assert.ok(waitFor(t, 10, () => screenHas(t, ["VOID?"])), at("void confirm"));
      t.world.flash.armCut(t.world.flash.ops + op);
      keys(t, ["ENTER"]);
      waitFor(t, 180, () => !t.world.powered || screenHas(t, SALE_END));
      const fired = !t.world.powered;
      t.world.flash.disarm();
      if (!fired) break;
      cases++;
      t.run(1);
      t.powerOn();
      assert.ok(waitFor(t, 240, () => screenHas(t, ["READY"])), at("recovery"));
      keys(t, ["MENU", "6", "1", "2", "3", "4", "ENTER"]);
      assert.ok(waitFor(t, 10, () => screenHas(t, ["SETTLE?"])), at("settle confirm"));
      const l = t.ledger();
      const want = `Sales ${l.totals.saleCount} ${formatAmount(l.totals.saleAmount)}`;
      assert.ok(t.screen().join(" | ").includes(want), at(`terminal totals disagree with the ledger (${want})`));
      keys(t, ["ENTER"]);
      assert.ok(waitFor(t, 240, () => screenHas(t, ["SETTLED", "SETTLE FAILED"])), at("settlement"));
      assert.ok(screenHas(t, ["SETTLED"]), at("settlement refused"));
      const after = t.ledger();
      assert.equal(after.doubleCharges, 0, at("double charge"));
      assert.deepEqual(after.violations.filter((v: any) => v.type !== "ORPHAN_REVERSAL"), [], at("ledger violations"));
      const o = l.charges.length ? "sale stands" : "voided";
      outcomes[o] = (outcomes[o] ?? 0) + 1;
    }
    console.log(`        ${cases} cut points: ${Object.entries(outcomes).map(([k, v]) => `${v} ${k}`).join(", ")}`);
    assert.ok(cases > 0);
    total += cases;
  });

  it("after reply, before the journal: power cut with the 0210 in flight", () => {
    const r = runCase(image, NET_FAULTS[0]!, { replyInFlight: true });
    assert.ok(r.cutFired);
    assert.equal(r.outcome, "reversed", "the host approved, the terminal never journaled it: it must reverse");
    total++;
  });

  it("double fault: reply lost, then a power cut at every flash operation of the recovery boot", () => {
    // the sale leaves a reversal pending (reply lost, cut right after); the boot sends the 0400
    // and journals the outcome: cut at each of those operations, then boot again
    const lost: NetFault = {
      name: "reply and reversals lost",
      arm: (t) => { t.acquirer.inject({ fault: "noResponse", mti: "0200" }); t.acquirer.inject({ fault: "noResponse", mti: "0400", count: 10 }); },
      heal: (t) => t.acquirer.clearFaults(),
    };
    let cases = 0;
    for (let op = 0; op < 500; op++) {
      const r = runCase(image, lost, { afterSale: true }, op);
      if (!r.cutFired) break;
      cases++;
    }
    console.log(`        ${cases} cut points in the recovery`);
    assert.ok(cases > 0, "the recovery wrote nothing");
    total += cases;
  });
});
