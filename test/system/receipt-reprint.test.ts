// A live sale's receipt against its reprint from the journal (MENU 3), on the compiled bundle
// in the simulator: the same transaction must read the same on paper, card type and entry
// mode included (docs/printer.md), whichever reader took the card. Needs `make build`.
import { strict as assert } from "assert";
import { Step } from "../../sim/scenario/format";
import { SimTarget } from "../../sim/scenario/target-sim";
import { R, CASHIER_PIN, sale, play } from "../support/flows";

/** the paper printed while `steps` ran */
function printed(t: SimTarget, steps: Step[]): string {
  const before = t.receipt().length;
  play(t, steps);
  return t.receipt().slice(before);
}

/** the receipt's lines, without the lines a reprint adds (its banners) */
function lines(paper: string): string[] {
  return paper.split("\n").filter((l) => l.trim() !== "***** REPRINT *****");
}

const REPRINT_LAST: Step[] = [{ press: "MENU" }, { press: "3" }, ...CASHIER_PIN, { press: "1" }, { expectReceipt: "REPRINT", within: 30 }, R];

/** one card per entry mode the terminal offers (no keyed entry: the keypad only takes amounts
 *  and PINs), and the card line each must print: card type on the left, entry mode right */
const CASES: { name: string; card: Step; cardLine: RegExp }[] = [
  { name: "swipe, Visa", card: { swipe: "visa-good" }, cardLine: /^VISA +SWIPE$/ },
  { name: "swipe, Amex", card: { swipe: "amex" }, cardLine: /^AMEX +SWIPE$/ },
  { name: "tap, Mastercard", card: { tap: "mc-emv" }, cardLine: /^MASTERCARD +TAP$/ },
  { name: "tap, Visa", card: { tap: "visa-emv" }, cardLine: /^VISA +TAP$/ },
];

describe("live receipt = reprint from the journal", function () {
  this.timeout(120000);

  for (const c of CASES) {
    it(`${c.name}: the same lines, card type and entry mode on both; after a power cycle too`, () => {
      const t = new SimTarget();
      play(t, [R]);
      const live = printed(t, sale("1999", c.card));
      assert.match(live, /MERCHANT COPY/);
      const again = printed(t, REPRINT_LAST);
      assert.equal((again.match(/\*{5} REPRINT \*{5}/g) || []).length, 2, "a reprint carries its banner at the top and the bottom");

      const a = lines(live), b = lines(again);
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        assert.equal(b[i], a[i], `line ${i + 1} differs between the live receipt and its reprint\nlive:\n${live}\nreprint:\n${again}`);
      }
      assert.ok(a.some((l) => c.cardLine.test(l)), `the live receipt shows card type and entry mode (${c.cardLine}):\n${live}`);
      assert.ok(b.some((l) => c.cardLine.test(l)), `the reprint shows card type and entry mode (${c.cardLine}):\n${again}`);

      // the journal itself keeps them: a reprint after a power cycle still shows them (the
      // journal keeps no date or time, so only the card line is compared here)
      play(t, [{ powerCut: true }, { wait: 1 }, { powerOn: true }, R]);
      const late = printed(t, REPRINT_LAST);
      assert.ok(lines(late).some((l) => c.cardLine.test(l)), `the reprint after a power cycle shows card type and entry mode:\n${late}`);
    });
  }
});
