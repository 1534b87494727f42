// PIN attempts under power cuts (supervisor, and role PINs: docs/roles.md), on the built bundle in the simulator: an attacker
// types wrong PINs and cuts the power at any flash operation after ENTER (the moment a flash
// write starts is visible on a board: current draw, timing). Whatever the cut points, the
// PIN must be compared at most MAX_FAILS (3) times without a correct PIN in between, and the
// terminal must then be locked, also after a power cycle.
//
// "Compared" is observed, not inferred: the PIN check hashes the entered PIN (256 SHA-256
// rounds, firmware/app/pin.ts), so an ENTER during which the simulator's crypto.SHA256 ran is
// an ENTER whose PIN was compared (the attacker learnt whether it was right).
import { strict as assert } from "assert";
import { SimTarget } from "../../sim/scenario/target-sim";
import type { CutFault } from "../../sim/parts/nor-flash";
import { waitFor } from "../support/flows";

// the simulator's crypto module calls Node's createHash (sim/runtime/api-modules.ts); the
// spy counts SHA-256 digests made by the firmware
// eslint-disable-next-line @typescript-eslint/no-var-requires
const nodeCrypto = require("crypto");
let shaCount = 0;

const MAX_FAILS = 3;
const WRONG = "9999";
const RIGHT = "1234";
/** the cashier's default PIN (docs/roles.md): right, but for cashier duties only */
const CASHIER = "1111";
const FLAVOURS: { name: string; fault: CutFault }[] = [
  { name: "clean", fault: { program: "clean", erase: "old" } },
  { name: "torn", fault: { program: "torn", erase: "mixed" } },
  { name: "weak", fault: { program: "weak", erase: "weakff" } },
];

interface Entry { pin: string; cutAt?: number; fault?: CutFault; /** at the cashier gate (MENU 3, reprint) */ cashier?: boolean }
interface Outcome {
  /** wrong PINs compared since the last compared right supervisor PIN, at its highest (a
   *  right cashier PIN does not end the run: it says nothing about the supervisor's PIN) */
  maxWrongRun: number;
  /** cut points that fell after the entry's last flash operation (did not fire) */
  unfired: number;
  /** the PIN gate shows PIN LOCKED at the end, and again after a power cycle */
  lockedAtEnd: boolean;
  /** ops per entry measured (entries without a cut) */
  ops: number[];
  trace: string[];
}

const text = (t: SimTarget) => t.screen().join(" | ");
function press(t: SimTarget, keys: string[]): void { for (const k of keys) { t.press(k); t.run(0.15); } }
function toIdle(t: SimTarget): void {
  for (let i = 0; i < 5 && !text(t).includes("READY"); i++) press(t, ["CANCEL"]);
  assert.ok(waitFor(t, 20, () => text(t).includes("READY")), "back to idle: " + text(t));
}
function boot(t: SimTarget): void {
  assert.ok(waitFor(t, 20, () => text(t).includes("READY")), "boot: " + text(t) + " / " + t.world.console.slice(-4).join(" / "));
}

/** opens the PIN gate (MENU 6, settlement; or MENU 3, reprint, the cashier's); false when
 *  it says PIN LOCKED */
function openGate(t: SimTarget, cashier = false): boolean {
  press(t, ["MENU", cashier ? "3" : "6"]);
  const s = text(t);
  if (s.includes("PIN LOCKED")) return false;
  assert.ok(s.includes(cashier ? "CASHIER PIN" : "SUPERVISOR PIN"), "PIN gate: " + s);
  return true;
}

function runSchedule(image: Record<number, Uint8Array>, entries: Entry[]): Outcome {
  const t = new SimTarget({ flashImage: image });
  const out: Outcome = { maxWrongRun: 0, unfired: 0, lockedAtEnd: false, ops: [], trace: [] };
  let run = 0;
  boot(t);
  const enter = (e: Entry): void => {
    press(t, e.pin.split(""));
    const ops0 = t.world.flash.ops, sha0 = shaCount;
    if (e.cutAt !== undefined) t.world.flash.armCut(ops0 + e.cutAt, e.fault ?? {});
    t.press("ENTER");
    waitFor(t, 5, () => !t.world.powered || /Wrong PIN|PIN LOCKED|SETTLE|LAST RECEIPT|Flash error/.test(text(t)));
    t.run(0.5);
    const compared = shaCount > sha0;
    const cut = !t.world.powered;
    t.world.flash.disarm();
    if (e.cutAt !== undefined && !cut) out.unfired++;
    if (e.cutAt === undefined) out.ops.push(t.world.flash.ops - ops0);
    // a right PIN that was compared may clear the count (whether a cut kept the clearing or
    // not): the wrong PINs that count are those since the last compared right one
    if (compared && e.pin === WRONG) run++;
    if (compared && e.pin === RIGHT) run = 0;
    if (e.pin === RIGHT && !cut) assert.ok(text(t).includes("SETTLE"), "the right PIN was refused: " + text(t));
    if (e.pin === CASHIER && !cut) assert.ok(text(t).includes("LAST RECEIPT"), "the cashier PIN was refused: " + text(t));
    out.maxWrongRun = Math.max(out.maxWrongRun, run);
    out.trace.push(`${e.pin === RIGHT ? "right" : e.pin === CASHIER ? "cashier" : "wrong"}${e.cutAt !== undefined ? "@" + e.cutAt : ""}:${compared ? "compared" : "not compared"}${cut ? ",cut" : ""}:${text(t).replace(/\s+/g, " ").slice(0, 60)}`);
    if (cut) { t.run(1); t.powerOn(); boot(t); } else toIdle(t);
  };
  for (const e of entries) {
    if (!openGate(t, e.cashier)) { out.trace.push("locked"); toIdle(t); continue; }
    enter(e);
  }
  // then, without cuts, wrong PINs until the gate locks: it must lock within MAX_FAILS
  // compared wrong PINs in a row (an attempt cut before its comparison may count or not)
  for (let i = 0; i <= MAX_FAILS && openGate(t); i++) enter({ pin: WRONG });
  const lockedNow = !openGate(t);
  if (lockedNow) out.trace.push("locked");
  toIdle(t);
  // and still locked after a power cycle
  t.powerCut(); t.run(1); t.powerOn(); boot(t);
  out.lockedAtEnd = lockedNow && !openGate(t);
  assert.deepEqual(t.world.errors.map((e) => e.message), [], "firmware exceptions");
  return out;
}

const wrong = (n: number): Entry[] => Array.from({ length: n }, () => ({ pin: WRONG }));

/** word programs of one audit trail entry (docs/audit.md): a wrong PIN is logged as ACCESS-FAILED */
const AUDIT_ENTRY_OPS = 8;

describe("supervisor PIN: power cut at every flash operation of a PIN entry", function () {
  this.timeout(120000);
  let image: Record<number, Uint8Array>;
  let realCreateHash: any;
  let cases = 0;

  before(() => {
    realCreateHash = nodeCrypto.createHash;
    nodeCrypto.createHash = function (algo: string, ...rest: any[]) {
      if (String(algo).toLowerCase() === "sha256") shaCount++;
      return realCreateHash.call(this, algo, ...rest);
    };
    const t = new SimTarget();
    boot(t);
    image = t.world.flashImage();
  });
  after(() => {
    nodeCrypto.createHash = realCreateHash;
    console.log(`      PIN campaign: ${cases} cut schedules`);
  });

  function check(label: string, entries: Entry[]): Outcome {
    const o = runSchedule(image, entries);
    cases++;
    const why = `${label}: ${o.trace.join(" ; ")}`;
    assert.ok(o.maxWrongRun <= MAX_FAILS, `${o.maxWrongRun} wrong PINs compared without a lock: ${why}`);
    assert.ok(o.lockedAtEnd, "not locked at the end (now and after a power cycle): " + why);
    return o;
  }

  it("without cuts: a wrong PIN costs a few word programs, and 3 wrong PINs lock (also after a power cycle)", () => {
    const o = check("no cuts", wrong(5));
    assert.equal(o.maxWrongRun, MAX_FAILS);
    assert.deepEqual(o.trace.slice(MAX_FAILS), ["locked", "locked", "locked"]);
    // the cost of counting an attempt in flash
    console.log(`        flash operations per wrong PIN entry: ${o.ops.join(", ")}`);
    // (plus the audit trail's ACCESS-FAILED entry: one 32-byte write, 8 word programs)
    for (const n of o.ops.slice(0, MAX_FAILS)) assert.ok(n >= 1 + AUDIT_ENTRY_OPS && n <= 4 + AUDIT_ENTRY_OPS, "ops per wrong PIN: " + o.ops.join(","));
  });

  it("one cut at every flash operation of the 1st, 2nd or 3rd wrong PIN, every tear flavour", () => {
    const base = runSchedule(image, wrong(MAX_FAILS));
    for (let i = 0; i < MAX_FAILS; i++) {
      for (const fl of FLAVOURS) {
        for (let op = 0; op < Math.max(1, base.ops[i] ?? 0); op++) {
          const entries = wrong(MAX_FAILS + 3);
          entries[i] = { pin: WRONG, cutAt: op, fault: fl.fault };
          const o = check(`wrong #${i + 1} cut at op ${op} (${fl.name})`, entries);
          assert.equal(o.unfired, 0, "the cut did not fire");
        }
      }
    }
  });

  it("an attacker who cuts every entry at the same operation gets no free guess", () => {
    for (const fl of FLAVOURS) {
      for (let op = 0; op < 3; op++) {
        const entries: Entry[] = Array.from({ length: 8 }, () => ({ pin: WRONG, cutAt: op, fault: fl.fault }));
        check(`every entry cut at op ${op} (${fl.name})`, entries.concat(wrong(MAX_FAILS)));
      }
    }
  });

  it("every pattern of cut/uncut over 5 wrong PINs (cut at the first operation)", () => {
    for (let mask = 0; mask < 32; mask++) {
      const fl = FLAVOURS[mask % FLAVOURS.length]!;
      const entries = wrong(5).map((e, i) => (mask & (1 << i) ? { pin: WRONG, cutAt: 0, fault: fl.fault } : e));
      check(`mask ${mask.toString(2)} (${fl.name})`, entries.concat(wrong(MAX_FAILS)));
    }
  });

  it("a correct PIN clears the count only once accepted: cut at every operation of a correct entry after 2 wrong", () => {
    const base = runSchedule(image, [...wrong(2), { pin: RIGHT }]);
    const n = base.ops[2]!;
    assert.ok(n >= 1, "a correct PIN after failures writes to flash");
    for (const fl of FLAVOURS) {
      for (let op = 0; op < n + 1; op++) {
        const entries: Entry[] = [...wrong(2), { pin: RIGHT, cutAt: op, fault: fl.fault }, ...wrong(MAX_FAILS + 1)];
        check(`right after 2 wrong, cut at op ${op} (${fl.name})`, entries);
      }
    }
    // and uncut, a correct PIN resets the count: 2 wrong, right, 2 wrong, and the gate is
    // still open (the lock then takes 3 more wrong PINs, checked by runSchedule's tail)
    const o = check("2 wrong, right, 2 wrong", [...wrong(2), { pin: RIGHT }, ...wrong(2)]);
    assert.match(o.trace[2]!, /^right:compared:SETTLE/);
    assert.match(o.trace[4]!, /Wrong PIN, 1 left/);
  });

  it("role PINs: a right cashier PIN between wrong ones, cut at every flash operation, buys no supervisor guess", () => {
    const cashierAt = (cutAt?: number, fault?: CutFault): Entry => ({ pin: CASHIER, cashier: true, cutAt, fault });
    // uncut: 2 wrong, the cashier's right PIN, 1 wrong: the supervisor is locked
    const o = check("2 wrong, cashier, 1 wrong", [...wrong(2), cashierAt(), ...wrong(1)]);
    assert.match(o.trace[2]!, /^cashier:compared:.*LAST RECEIPT/);
    assert.match(o.trace[3]!, /PIN LOCKED/);
    assert.equal(o.maxWrongRun, MAX_FAILS);
    const n = o.ops[2]!;
    assert.ok(n >= 2, "a right PIN after failures writes its mark");
    for (const fl of FLAVOURS) {
      for (let op = 0; op < n + 1; op++) check(`2 wrong, cashier cut at op ${op} (${fl.name})`, [...wrong(2), cashierAt(op, fl.fault), ...wrong(MAX_FAILS)]);
    }
  });

  it("every PIN gate (void, refund, settlement, settings, reprint, journal recovery) counts before comparing, and a wrong PIN at any counts against the supervisor", () => {
    const gates: { name: string; open: string[] }[] = [
      { name: "void", open: ["MENU", "1"] }, { name: "refund", open: ["MENU", "2"] },
      { name: "settlement", open: ["MENU", "6"] }, { name: "settings", open: ["MENU", "9"] },
      { name: "reprint (cashier)", open: ["MENU", "3"] },
    ];
    const attempt = (t: SimTarget, open: string[], cut: boolean): { compared: boolean; ops: number; screen: string } => {
      press(t, open);
      assert.ok(/SUPERVISOR PIN|CASHIER PIN/.test(text(t)), "PIN gate: " + text(t));
      press(t, WRONG.split(""));
      const ops0 = t.world.flash.ops, sha0 = shaCount;
      if (cut) t.world.flash.armCut(ops0, { program: "clean" });
      t.press("ENTER"); t.run(0.5);
      const r = { compared: shaCount > sha0, ops: t.world.flash.ops - ops0, screen: text(t) };
      t.world.flash.disarm();
      if (!t.world.powered) { t.run(1); t.powerOn(); }
      return r;
    };
    for (const g of gates) {
      const t = new SimTarget({ flashImage: image });
      boot(t);
      const c = attempt(t, g.open, true);
      assert.equal(c.compared, false, g.name + ": a cut at the first flash operation after ENTER must come before the comparison");
      boot(t);
      const u = attempt(t, g.open, false);
      assert.ok(u.compared && u.ops === 1 + AUDIT_ENTRY_OPS && /Wrong PIN, 2 left/.test(u.screen), g.name + ": " + JSON.stringify(u));
      cases++;
    }
    // a wrong PIN counts against every role: wrong at void, refund and reprint locks settlement
    const t = new SimTarget({ flashImage: image });
    boot(t);
    for (const g of [gates[0]!, gates[1]!, gates[4]!]) { attempt(t, g.open, false); toIdle(t); }
    assert.equal(openGate(t), false, "settlement after 3 wrong PINs at other gates: " + text(t));
    // the journal-fault recovery gate (MENU on the JOURNAL FAULT screen)
    const j = t.world.board.flashRegions.journal;
    const bad = { ...image, [j.base]: new Uint8Array(j.sectors * j.sectorSize) };
    const f = new SimTarget({ flashImage: bad });
    assert.ok(waitFor(f, 20, () => text(f).includes("JOURNAL FAULT")), "journal fault: " + text(f));
    const rc = attempt(f, ["MENU"], true);
    assert.equal(rc.compared, false, "recover: cut before the comparison");
    assert.ok(waitFor(f, 20, () => text(f).includes("JOURNAL FAULT")), "journal fault again: " + text(f));
    const ru = attempt(f, ["MENU"], false);
    assert.ok(ru.compared && ru.ops === 1 + AUDIT_ENTRY_OPS && /Wrong PIN, 2 left/.test(ru.screen), "recover: " + JSON.stringify(ru));
    cases++;
  });
});
