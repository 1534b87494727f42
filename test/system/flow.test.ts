// System tests of the application on the compiled bundle (dist/<board>/firmware.js) in the
// simulator, with the acquirer in-process: each flow end to end, checked on the panel, the
// paper, the acquirer's ledger and the flash image. Needs `make build`.
import { strict as assert } from "assert";
import { Step } from "../../sim/scenario/format";
import { SimTarget } from "../../sim/scenario/target-sim";
import * as zlib from "zlib";
import { SettingsStore } from "../../firmware/app/settings";
import { R, PIN, CASHIER_PIN, sale, play } from "../support/flows";

/** every flash byte the terminal owns, as latin1 text and as hex (BCD digits show up in hex) */
function flashDump(t: SimTarget): { latin1: string; hex: string } {
  const img = t.world.flashImage();
  const bufs = Object.values(img).map((b) => Buffer.from(b));
  const all = Buffer.concat(bufs);
  return { latin1: all.toString("latin1"), hex: all.toString("hex") };
}

describe("app flows on the bundle", function () {
  this.timeout(120000);

  it("approved sale: receipt with STAN, invoice and batch; charged once; the PAN is nowhere in flash or console", () => {
    const t = new SimTarget();
    play(t, [R, ...sale("1999").slice(0, 6), { press: "ENTER" }, { expectReceipt: "CUSTOMER COPY", within: 30 }, R]);
    const paper = t.receipt();
    assert.match(paper, /STAN: 0000\d\d/);
    assert.match(paper, /INVOICE: 000001/);
    assert.match(paper, /BATCH: 000001/);
    assert.match(paper, /MERCHANT COPY/);
    assert.match(paper, /\*{4} \*{4} \*{4} 1111/);
    const l = t.ledger();
    assert.equal(l.charges.length, 1);
    assert.equal(l.charges[0].amount, 1999);
    const pan = "4111111111111111";
    const f = flashDump(t);
    assert.ok(!f.latin1.includes(pan), "PAN as text in flash");
    assert.ok(!f.hex.includes(pan), "PAN as BCD in flash");
    assert.ok(!f.latin1.includes("=3012101"), "track 2 in flash");
    assert.ok(!t.world.console.join("\n").includes(pan), "PAN in the console");
    assert.ok(!t.world.console.join("\n").includes("3012101000020000831"), "track data in the console");
    assert.ok(!paper.includes(pan), "PAN on paper");
  });

  it("contactless sale: the EMV card's PAN is not kept either", () => {
    const t = new SimTarget();
    play(t, [R, ...sale("2500", { tap: "mc-emv" })]);
    assert.equal(t.ledger().charges.length, 1);
    const f = flashDump(t);
    assert.ok(!f.latin1.includes("5413330089010434") && !f.hex.includes("5413330089010434"), "EMV PAN in flash");
  });

  it("declined sale: DECLINED with the RC, nothing charged, no approval printed", () => {
    const t = new SimTarget();
    play(t, [R, { keys: "1051" }, { press: "ENTER" }, { swipe: "visa-good" }, { expectScreen: "DECLINED", within: 40 }, { expectScreen: "RC 51" }]);
    assert.equal(t.ledger().charges.length, 0);
    assert.ok(!t.receipt().includes("APPROVED"));
  });

  it("void by invoice: the sale is voided at the acquirer", () => {
    const t = new SimTarget();
    play(t, [R, ...sale("1999"), { press: "MENU" }, { press: "1" }, ...PIN, { keys: "1" }, { press: "ENTER" },
      { expectScreen: "VOID?" }, { press: "ENTER" }, { expectScreen: "APPROVED", within: 40 }, { expectScreen: "Customer copy?", within: 30 }, { press: "CANCEL" }, R]);
    const l = t.ledger();
    assert.equal(l.charges.length, 0);
    assert.equal(l.all.filter((c: any) => c.state === "voided").length, 1);
    assert.match(t.receipt(), /VOID/);
  });

  it("refund: credited once", () => {
    const t = new SimTarget();
    play(t, [R, { press: "MENU" }, { press: "2" }, ...PIN, { keys: "750" }, { press: "ENTER" }, { expectScreen: "REFUND?" }, { press: "ENTER" },
      { swipe: "mastercard" }, { expectScreen: "APPROVED", within: 40 }, { expectScreen: "Customer copy?", within: 30 }, { press: "CANCEL" }, R]);
    const l = t.ledger();
    assert.equal(l.charges.length, 1);
    assert.equal(l.charges[0].kind, "refund");
    assert.equal(l.totals.refundAmount, 750);
  });

  it("settlement without upload: totals agree, the next sale is in batch 2", () => {
    const t = new SimTarget();
    play(t, [R, ...sale("1000"), ...sale("2000", { tap: "visa-emv" }), { press: "MENU" }, { press: "6" }, ...PIN,
      { expectScreen: "Sales 2 30.00" }, { press: "ENTER" }, { expectScreen: "SETTLED", within: 60 }, { expectReceipt: "SETTLEMENT", within: 30 }, { press: "ENTER" }, R]);
    const l = t.ledger();
    assert.equal(l.settlements, 1);
    assert.deepEqual(l.violations, []);
    assert.ok(!t.acquirer.trace.some((x) => x.mti === "0320"), "no batch upload");
    // the last receipt of the closed batch can still be reprinted
    const before = (t.receipt().match(/REPRINT/g) || []).length;
    play(t, [{ press: "MENU" }, { press: "3" }, ...CASHIER_PIN, { press: "1" }, { expectReceipt: "REPRINT", within: 30 }, R]);
    assert.ok((t.receipt().match(/REPRINT/g) || []).length > before, "reprint after settlement");
    play(t, [...sale("500")]);
    assert.match(t.receipt(), /BATCH: 000002/);
  });

  it("settlement with batch upload after RC 95", () => {
    const t = new SimTarget();
    play(t, [R, ...sale("1000"), ...sale("1200"), { acquirer: { fault: "rc", rc: "95", mti: "0500", count: 1 } },
      { press: "MENU" }, { press: "6" }, ...PIN, { press: "ENTER" }, { expectScreen: "SETTLED", within: 90 }, { expectScreen: "uploaded" }]);
    assert.equal(t.acquirer.trace.filter((x) => x.mti === "0320").length, 2, "both sales uploaded");
    assert.deepEqual(t.ledger().violations, []);
    assert.match(t.receipt(), /BATCH UPLOADED/);
  });

  it("reprint of the last receipt is marked REPRINT", () => {
    const t = new SimTarget();
    play(t, [R, ...sale("1300"), { press: "MENU" }, { press: "3" }, ...CASHIER_PIN, { press: "1" }, { expectReceipt: "REPRINT", within: 30 }, R]);
    assert.equal(t.ledger().charges.length, 1, "a reprint is not a transaction");
    assert.equal((t.receipt().match(/MERCHANT COPY/g) || []).length, 2);
  });

  it("paper out mid-receipt: PAPER OUT, then the whole receipt again marked REPRINT; charged once", () => {
    const t = new SimTarget();
    play(t, [R, { paper: "low" }, { keys: "900" }, { press: "ENTER" }, { swipe: "visa-good" }, { expectScreen: "PAPER OUT", within: 60 },
      { paper: "in" }, { expectReceipt: "REPRINT", within: 30 }, { expectScreen: "Customer copy?", within: 30 }, { press: "CANCEL" }, R]);
    assert.equal(t.ledger().charges.length, 1);
    assert.match(t.receipt(), /MERCHANT COPY/);
  });

  it("the supervisor PIN is stored only as a salted hash and its lock-out survives a power cycle", () => {
    const t = new SimTarget();
    const wrong: Step[] = [{ press: "MENU" }, { press: "6" }, { keys: "9999" }, { press: "ENTER" }];
    play(t, [R, ...wrong, { expectScreen: "Wrong PIN, 2 left" }, { press: "CANCEL" }, { press: "CANCEL" }, ...wrong, { press: "CANCEL" }, { press: "CANCEL" },
      ...wrong, { expectScreen: "PIN LOCKED" }, { powerCut: true }, { powerOn: true }, R, { press: "MENU" }, { press: "6" }, { expectScreen: "PIN LOCKED" }]);
    const f = flashDump(t).latin1;
    assert.match(f, /"pinHash":"[0-9a-f]{64}"/);
    // the count is in the settings store (the JSON base plus the attempt tally)
    const st = new SettingsStore({ flash: t.world.flash, region: t.world.board.flashRegions.settings, crc32: (d) => zlib.crc32(d) >>> 0 });
    st.load();
    assert.equal(st.values.pinFails, 3);
    assert.ok(!/"pin":|1234/.test(f.replace(/"pinHash":"[0-9a-f]{64}"|"pinSalt":"[0-9a-f]{32}"|"deviceKey":"[0-9a-f]{64}"/g, "")), "PIN in clear");
  });

  it("journal fault: refuses to transact and says why; supervisor recovery resumes numbering no lower than given", () => {
    const board = new SimTarget({ boot: false }).world.board;
    const j = board.flashRegions.journal;
    const image = { [j.base]: new Uint8Array(j.sectors * j.sectorSize) }; // all zero: not a journal
    const t = new SimTarget({ flashImage: image });
    play(t, [{ expectScreen: "JOURNAL FAULT", within: 20 }, { keys: "100" }, { press: "ENTER" }, { expectNotScreen: "Swipe or tap", within: 2 },
      { expectScreen: "JOURNAL FAULT" }, { press: "MENU" }, ...PIN, { expectScreen: "Min STAN" }, { keys: "500" }, { press: "ENTER" },
      { keys: "40" }, { press: "ENTER" }, { keys: "7" }, { press: "ENTER" }, { expectScreen: "RECOVERED", within: 20 }, R, ...sale("1000")]);
    const paper = t.receipt();
    const stan = Number(/STAN: (\d{6})/.exec(paper)![1]);
    const inv = Number(/INVOICE: (\d{6})/.exec(paper)![1]);
    const batch = Number(/BATCH: (\d{6})/.exec(paper)![1]);
    assert.ok(stan >= 500 && inv >= 40 && batch >= 7, `STAN ${stan}, invoice ${inv}, batch ${batch}`);
    assert.equal(t.ledger().charges.length, 1);
  });

  it("console provisioning (posConfig) persists a setting across a power cycle", () => {
    const t = new SimTarget();
    play(t, [R]);
    t.world.mcu.invoke('posConfig("merchantName", "CORNER SHOP")', undefined, []);
    t.world.mcu.invoke('posConfig("pinHash", "00")', undefined, []);
    play(t, [{ expectConsole: "merchantName saved" }, { expectConsole: "not configurable: pinHash" }, { powerCut: true }, { powerOn: true }, R, { expectScreen: "CORNER SHOP" }]);
  });
});
