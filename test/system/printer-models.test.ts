// A second printer model, added as one driver folder (drivers/escpos80) and a board-file line
// (boards/pos-esp32-80mm.json): the bundle built for that board binds the printer role to the
// 80 mm factory, the simulator stands its virtual ESC/POS printer in at 576 dots, and a sale
// prints a receipt laid out for 48 columns; the 58 mm board's stays at 32. Needs `make build`.
import { strict as assert } from "assert";
import { SimTarget } from "../../sim/scenario/target-sim";
import type { EscposPart } from "../../sim/parts/escpos";
import { R, sale, play } from "../support/flows";
import type { Step } from "../../sim/scenario/format";

/** the merchant copy's text lines, and the widest rule of dashes on it */
function layout(t: SimTarget): { lines: string[]; rule: number } {
  const lines = t.receipt().split("\n");
  const rules = lines.filter((l) => /^-+$/.test(l)).map((l) => l.length);
  return { lines, rule: Math.max(0, ...rules) };
}

/** a logon first: its answer sets the clock, so the receipt has a DATE/TIME line (docs/time.md) */
const LOGON: Step[] = [{ press: "MENU" }, { press: "8" }, { expectScreen: "LOGON OK", within: 40 }, { press: "ENTER" }, R];

describe("printer models: the receipt follows the board's printer", function () {
  this.timeout(120000);

  it("80 mm board: a sale prints 48 columns on 576 dots", () => {
    const t = new SimTarget({ board: "pos-esp32-80mm" });
    assert.deepEqual(t.world.warnings, []);
    const printer = t.world.parts["printer"] as unknown as EscposPart;
    assert.equal(printer.interp.dots, 576, "the virtual printer gets the model's paper width");
    assert.equal(printer.mmPerSecond, 150, "and its speed");
    play(t, [R, ...LOGON, ...sale("1999")]);
    const { lines, rule } = layout(t);
    assert.equal(rule, 48, "rules span the 48 columns");
    const date = lines.find((l) => l.startsWith("DATE: "))!;
    assert.equal(date.length, 48, "DATE left, TIME right-aligned at column 48: " + JSON.stringify(date));
    assert.match(date, /^DATE: \S+ {2,}TIME: \S+$/);
    const total = lines.find((l) => l.startsWith("TOTAL"))!;
    assert.equal(total.length, 48, "TOTAL line: " + JSON.stringify(total));
    assert.ok(lines.some((l) => l === "X" + "_".repeat(47)), "signature line across the paper");
    assert.ok(lines.every((l) => l.length <= 48), "nothing wider than the paper");
    assert.match(t.receipt(), /MERCHANT COPY/);
    assert.equal(t.ledger().charges.length, 1);
  });

  it("58 mm board: the same sale prints 32 columns", () => {
    const t = new SimTarget({ board: "pos-esp32-v1" });
    play(t, [R, ...LOGON, ...sale("1999")]);
    const { lines, rule } = layout(t);
    assert.equal(rule, 32);
    assert.equal(lines.find((l) => l.startsWith("DATE: "))!.length, 32);
  });
});
