// Health counters on the built bundle (docs/health.md): boots survive a power cycle; a
// paper-out, a host timeout and the reversal it causes are counted; MENU 0 SERVICE -> 2 HEALTH
// prints the receipt and sends the 0800 (DE 70 801, DE 48) that the acquirer collects with the
// same figures; an approved settlement sends it again by itself. Needs the firmware build.
import { strict as assert } from "assert";
import { SimTarget, TID } from "../../sim/scenario/target-sim";
import { play, sale, R, PIN } from "../support/flows";
import { Step } from "../../sim/scenario/format";

const HEALTH: Step[] = [{ press: "MENU" }, { press: "0" }, { expectScreen: "SERVICE" }, { press: "2" }, ...PIN, { expectScreen: "1 PRINT RECEIPT" }];

/** the receipt line "NAME ... value" (pair() pads between them) */
function printed(paper: string, name: string): string | undefined {
  const m = paper.split("\n").map((l) => l.trim()).find((l) => l.startsWith(name + " "));
  return m ? m.slice(name.length).trim() : undefined;
}

describe("health counters on the built bundle", function () {
  this.timeout(600000);

  it("counts boots across a power cycle, a paper-out, a host timeout and its reversal; the acquirer gets them", () => {
    const t = new SimTarget();
    play(t, [R]);
    // a paper-out in the middle of the merchant copy
    play(t, [{ paper: "low" }, { keys: "900" }, { press: "ENTER" }, { swipe: "visa-good" }, { expectScreen: "PAPER OUT", within: 60 },
      { paper: "in" }, { expectScreen: "Customer copy?", within: 60 }, { press: "CANCEL" }, R]);
    // the host does not answer the 0200: a timeout, and the reversal sent at once
    t.acquirer.inject({ mti: "0200", fault: "noResponse" });
    play(t, [{ keys: "700" }, { press: "ENTER" }, { swipe: "visa-good" }, { expectScreen: "NO RESPONSE", within: 90 }, { press: "CANCEL" }, R]);
    // a bad swipe (parity errors)
    play(t, [{ keys: "500" }, { press: "ENTER" }, { swipe: "visa-good-noisy" }, { expectScreen: "Swipe again", within: 10 }, { press: "CANCEL" }, R]);
    t.powerCut(); t.run(1); t.powerOn();
    play(t, [R]);
    play(t, [...HEALTH, { press: "2" }, { expectScreen: "Sent to host", within: 30 }]);
    const f = t.acquirer.health.latest(TID);
    assert.ok(f, "the acquirer has a health report for " + TID);
    assert.equal(f!.BT, "2", "two boots");
    assert.equal(f!.PO, "1", "one paper-out");
    assert.equal(f!.HT, "1", "one host timeout");
    assert.equal(f!.RV, "1", "one reversal sent");
    assert.ok(Number(f!.SP) + Number(f!.SL) + Number(f!.SN) >= 1, "the noisy swipe: " + JSON.stringify(f));
    assert.equal(f!.CR, "0");
    assert.ok(Number(f!.LF) > 500 && Number(f!.LF) < 20000, "lowest free JsVars sampled: " + f!.LF);
    assert.ok(f!.JE === "0" && f!.JT === "0" && f!.HE === "1", "flash wear (a new journal formats blank sectors without erasing): " + JSON.stringify(f));
    assert.equal(f!.FW, require("../../package.json").version);
    // one health report among the 0800s (each boot also sends an echo that sets the clock)
    assert.equal(t.acquirer.health.received(TID), 1);
    assert.ok(t.acquirer.trace.filter((x) => x.mti === "0800").every((x) => x.rc === "00"));
    // the receipt: every counter by name, with the same figures
    play(t, [{ expectScreen: "1 PRINT RECEIPT", within: 20 }, { press: "1" }, { expectReceipt: "--- HEALTH ---", within: 60 }, { expectScreen: "1 PRINT RECEIPT", within: 30 }]);
    const paper = t.receipt();
    assert.equal(printed(paper, "BOOTS"), "2");
    // the time of the trusted clock (the 0810 of the report just sent set it), never uptime
    const slip = paper.split("[CUT]").filter((s) => s.includes("--- HEALTH ---")).pop()!;
    assert.match(slip, /DATE: 2026-12-04 +TIME: \d\d:\d\d:\d\d/, slip);
    assert.equal(printed(paper, "PAPER OUTS"), "1");
    assert.equal(printed(paper, "HOST TIMEOUTS"), "1");
    assert.equal(printed(paper, "REVERSALS SENT"), "1");
    assert.equal(printed(paper, "TERMINAL"), TID);
    assert.equal(printed(paper, "LOWEST FREE JSVARS"), f!.LF);
    assert.ok(printed(paper, "JOURNAL ERASES") !== undefined);
    assert.deepEqual(t.world.errors.map((e) => e.message), []);
  });

  it("an approved settlement sends the health report by itself", () => {
    const t = new SimTarget();
    play(t, [R, ...sale("1500")]);
    assert.equal(t.acquirer.health.received(TID), 0);
    play(t, [{ press: "MENU" }, { press: "6" }, ...PIN, { expectScreen: "SETTLE?" }, { press: "ENTER" }, { expectScreen: "SETTLED", within: 90 }]);
    assert.equal(t.acquirer.health.received(TID), 1);
    assert.equal(t.acquirer.health.latest(TID)!.BT, "1");
    const mtis = t.acquirer.trace.map((x) => x.mti);
    assert.deepEqual(mtis.slice(-2), ["0500", "0800"], "after the 0510, before the screen says SETTLED");
  });
});
