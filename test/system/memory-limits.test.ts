// When the terminal must stop selling but keep its numbers and still settle: the interpreter
// reports low memory, or the open batch holds its limit. On the compiled bundle in the
// simulator, with a journal image made by the firmware's own journal (pos-sim journal-image).
import { strict as assert } from "assert";
import { Step } from "../../sim/scenario/format";
import { SimTarget } from "../../sim/scenario/target-sim";
import { makeImage } from "../../sim/commands/journal-image";
import { loadBoardFile } from "../../tools/board";
import { R, PIN, sale, play } from "../support/flows";

/** sales paused: a digit shows why on the idle screen instead of starting a sale; void and
 *  refund say why too */
const PAUSED = (why: string): Step[] => [
  { keys: "5" }, { expectScreen: why }, { expectScreen: "Sales paused" }, { expectScreen: "READY" },
  { press: "MENU" }, { press: "2" }, { expectScreen: "NOT NOW" }, { expectScreen: why }, { press: "CANCEL" }, { press: "CANCEL" }, R,
];

describe("sales paused, numbers kept, settlement works", function () {
  this.timeout(300000);

  it("low memory (the interpreter's LOW_MEMORY flag): no new sale, settlement closes the batch, a restart sells again", () => {
    const t = new SimTarget();
    play(t, [R, ...sale("1999")]);
    t.world.mcu.setFlag("LOW_MEMORY");
    play(t, [...PAUSED("Low memory"), { press: "MENU" }, { press: "6" }, ...PIN, { expectScreen: "Sales 1 19.99" }, { press: "ENTER" },
      { expectScreen: "SETTLED", within: 60 }]);
    assert.equal(t.ledger().settlements, 1);
    t.powerCut();
    t.powerOn();
    play(t, [R, ...sale("500")]);
    const paper = t.receipt();
    assert.match(paper, /INVOICE: 000002/, "the invoice after the pause follows the last one issued");
    assert.match(paper, /BATCH: 000002/);
    assert.deepEqual(t.ledger().violations, []);
  });

  it("a full batch (500 sales on flash): the idle screen says so, settlement uploads and closes it, then sales go on", () => {
    const board = loadBoardFile("pos-esp32-v1").board as any;
    const region = board.flashRegions.journal;
    const img = makeImage({ sales: 500, settled: 0, region });
    assert.equal(img.open, 500);
    const t = new SimTarget({ flashImage: { [region.base]: img.bytes } });
    play(t, [R, ...PAUSED("Batch full"), { press: "MENU" }, { press: "6" }, ...PIN, { expectScreen: "Sales 500" }, { press: "ENTER" },
      { expectScreen: "SETTLED", within: 1200 }, { expectScreen: "uploaded" }]);
    assert.equal(t.acquirer.trace.filter((x) => x.mti === "0320").length, 500, "every sale uploaded, one at a time");
    play(t, [{ press: "CANCEL" }, R, ...sale("700")]);
    assert.match(t.receipt(), /INVOICE: 000501/);
    assert.match(t.receipt(), /BATCH: 000002/);
  });
});
