// The MAC on the built bundle (docs/host-protocol.md §1.4): the acquirer simulator checks every
// financial request's DE 64 with its own code, and a reply whose MAC does not verify is, to the
// terminal, a garbled reply: not approved, the reversal kept until it is delivered.
import { strict as assert } from "assert";
import { SimTarget } from "../../sim/scenario/target-sim";
import { TEST_MAC_KEY } from "../../sim/acquirer/mac";
import { waitFor, screenHas, swipeSale } from "../support/flows";

const has = screenHas;
const sale = swipeSale;

describe("host MAC on the built bundle", function () {
  this.timeout(300000);

  it("a corrupted response MAC: not approved, reversal pending, sent once the MAC is good again", () => {
    const t = new SimTarget();
    assert.ok(waitFor(t, 60, () => has(t, ["READY"])), "READY: " + t.screen().join(" | "));
    assert.deepEqual(t.acquirer.trace.map((x) => x.mti), [], "nothing sent at boot");
    t.acquirer.inject({ fault: "badMac", count: 2 }); // the 0210, then the 0410 of the reversal tried at once
    const s = sale(t, 1200);
    assert.ok(s.includes("NO RESPONSE") && s.includes("reversal pending") && s.includes("Bad reply"), s);
    assert.deepEqual(t.acquirer.trace.map((x) => x.mti), ["0200", "0400"]);
    assert.equal(t.acquirer.macFailures, 0, "the terminal's requests verify");
    let l = t.ledger();
    assert.equal(l.reversed, 1, "the host undid the charge");
    // the terminal did not see the 0410 (bad MAC): its reversal is still pending and goes first
    t.press("CLEAR"); t.run(1);
    const s2 = sale(t, 1300);
    assert.ok(s2.includes("Customer copy?"), s2);
    assert.deepEqual(t.acquirer.trace.map((x) => x.mti), ["0200", "0400", "0400", "0200"]);
    l = t.ledger();
    assert.equal(l.charges.length, 1);
    assert.equal(l.charges[0].amount, 1300);
    assert.deepEqual(l.violations.filter((v: any) => v.type !== "ORPHAN_REVERSAL"), []);
    assert.equal(l.doubleCharges, 0);
    // the key is never printed
    assert.ok(!t.consoleLines().some((x) => x.includes(TEST_MAC_KEY)), "MAC key in the console");
    assert.deepEqual(t.world.errors.map((e) => e.message), []);
  });
});
