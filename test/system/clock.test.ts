// Real time on the built bundle (docs/time.md): before any host sync a receipt says the time is
// not set; after a logon it prints the acquirer's time; after a power cycle a reprint shows the
// time the journal kept, even though the clock itself is unknown again. Needs the build.
import { strict as assert } from "assert";
import { SimTarget } from "../../sim/scenario/target-sim";
import { WORLD_EPOCH_MS } from "../../sim/bus/clock";
import { R, sale, play, CASHIER_PIN } from "../support/flows";

const REPRINT_LAST = [{ press: "MENU" }, { press: "3" }, ...CASHIER_PIN, { press: "1" }, { expectReceipt: "REPRINT", within: 30 }, R];

/** the host's clock now, as the receipt prints it */
function hostTime(t: SimTarget): number { return WORLD_EPOCH_MS + t.now() * 1000; }
/** the receipt's DATE/TIME line as ms (UTC fields = the acquirer's local time), or null */
function printedTime(paper: string): number | null {
  const m = /DATE: (\d{4})-(\d\d)-(\d\d) +TIME: (\d\d):(\d\d):(\d\d)/.exec(paper);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : null;
}
function dateLine(paper: string): string { return paper.split("\n").find((l) => l.startsWith("DATE: ") || l.startsWith("TIME: "))!; }

describe("real time on the bundle", function () {
  this.timeout(300000);

  it("not set before a sync, the acquirer's time after a logon, the stored time on a reprint after a power cycle", () => {
    const t = new SimTarget();
    play(t, [{ network: "down" }, { expectScreen: "READY", within: 60 }]);
    assert.ok(!t.world.console.some((l) => l.includes("clock: set")), "no sync without a host");
    play(t, [{ network: "up" }]);
    // the first sale's request leaves while the clock is unknown: no DE 12/13, no time on paper
    let before = t.receipt().length;
    play(t, sale("1200"));
    const first = t.receipt().slice(before);
    assert.equal(dateLine(first), "TIME: not set (no host sync)");
    assert.equal(printedTime(first), null, "no date printed at all");
    assert.ok(t.world.console.some((l) => l.includes("clock: set from host")), "the 0210 to a request without DE 12/13 set the clock");

    // a logon (MENU 8): the 0810 carries the host's DE 12/13
    play(t, [{ press: "MENU" }, { press: "8" }, { expectScreen: "LOGON OK", within: 40 }, { press: "ENTER" }, R]);
    const from = hostTime(t);
    before = t.receipt().length;
    play(t, sale("1999"));
    const live = t.receipt().slice(before), to = hostTime(t);
    const at = printedTime(live);
    assert.ok(at !== null, "a date and time on the receipt:\n" + live);
    assert.ok(at >= Math.floor(from / 1000) * 1000 && at <= to, `printed ${new Date(at).toISOString()} within the sale (${new Date(from).toISOString()} .. ${new Date(to).toISOString()})`);

    // power cycle with the host unreachable: the clock is unknown again, the record's time is not
    play(t, [{ powerCut: true }, { network: "down" }, { wait: 60 }, { powerOn: true }, { expectScreen: "READY", within: 60 }]);
    before = t.receipt().length;
    play(t, REPRINT_LAST);
    const again = t.receipt().slice(before);
    assert.equal(dateLine(again), dateLine(live), "the reprint shows the time the journal kept");
    play(t, [{ press: "MENU" }, { press: "0" }, { press: "5" }, { expectScreen: "NOT SET", within: 5 }, { press: "CANCEL" }, { press: "CANCEL" }, { press: "CANCEL" }, R]);
    // a report while the clock is unknown says why instead of printing a time
    before = t.receipt().length;
    play(t, [{ press: "MENU" }, { press: "4" }, ...CASHIER_PIN, { expectReceipt: "X REPORT", within: 30 }, R]);
    const x = t.receipt().slice(before);
    assert.match(x, /TIME: not set \(no host sync\s+since\s+power-up\)/);
    assert.equal(printedTime(x), null);

    // back on the network after a power cycle: nothing is sent at boot only for the time, so
    // the clock stays unknown until CLOCK "sync now": one echo (0800/990000), whose answer
    // carries the host's DE 12/13
    const echoes = () => t.acquirer.trace.filter((x) => x.mti === "0800").length;
    play(t, [{ network: "up" }, { powerCut: true }, { wait: 1 }, { powerOn: true }, { expectScreen: "READY", within: 60 }]);
    const n = echoes();
    play(t, [{ press: "MENU" }, { press: "0" }, { press: "5" }, { expectScreen: "NOT SET", within: 5 }, { press: "ENTER" }, { wait: 5 },
      { expectScreen: "Host, ", within: 30 }, { press: "CANCEL" }, { press: "CANCEL" }, { press: "CANCEL" }, R]);
    assert.equal(echoes(), n + 1);
    assert.deepEqual(t.ledger().violations, []);
  });
});
