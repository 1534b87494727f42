// Golden receipts through the whole chain: layout -> encoder -> paced driver -> simulated
// UART -> virtual printer -> text. UPDATE_GOLDEN=1 rewrites test/fixtures/receipts/*.txt.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { PrinterRig } from "../support/escpos-rig";
import { EscPosPrinter, PrintError } from "../../drivers/escpos/printer";
import { PrintJob } from "../../drivers/print-doc";
import { receiptJob, Copy } from "../../firmware/receipt/receipt";
import { batchReportJob, settlementJob } from "../../firmware/receipt/reports";
import { MERCHANT, SALE, DECLINED, REFUND, X_REPORT, Z_REPORT, SETTLEMENT, SETTLED_AT } from "../fixtures/receipts/samples";

const dir = path.join(__dirname, "../fixtures/receipts");
const update = process.env.UPDATE_GOLDEN === "1";

/** prints the job on a fresh rig; `paperMm` limits the roll (then paper is loaded after 2 s) */
export function printThroughChain(job: PrintJob, paperMm?: number): { text: string; err: PrintError | null; rig: PrinterRig } {
  const rig = new PrinterRig({ baud: 19200, mmPerSecond: 60 });
  const printer = new EscPosPrinter({ uart: rig.port, io: rig.io, baud: 19200, dots: 384, mmPerSecond: 60 });
  if (paperMm !== undefined) rig.part.setRoll(paperMm);
  let done = null as { err: PrintError | null } | null;
  rig.call(() => printer.print(job, (err) => { done = { err }; }));
  if (paperMm !== undefined) {
    rig.runUntil(() => rig.part.paperOut, 60);
    rig.run(2);
    rig.part.loadPaper();
  }
  rig.runUntil(() => done !== null, 120);
  assert.ok(done, "job finished");
  return { text: rig.part.text(), err: done!.err, rig };
}

const cases: { [name: string]: { job: PrintJob; paperMm?: number } } = {
  "sale-merchant": { job: receiptJob(MERCHANT, SALE, Copy.Merchant) },
  "sale-customer": { job: receiptJob(MERCHANT, SALE, Copy.Customer) },
  "sale-declined": { job: receiptJob(MERCHANT, DECLINED, Copy.Customer) },
  "refund-merchant": { job: receiptJob(MERCHANT, REFUND, Copy.Merchant) },
  "sale-reprint-from-journal": { job: receiptJob(MERCHANT, SALE, Copy.Customer, true) },
  "sale-paper-out-reprint": { job: receiptJob(MERCHANT, SALE, Copy.Customer), paperMm: 60 },
  "x-report": { job: batchReportJob(MERCHANT, X_REPORT) },
  "z-report": { job: batchReportJob(MERCHANT, Z_REPORT) },
  "settlement": { job: settlementJob(MERCHANT, SETTLEMENT, SETTLED_AT) },
};

describe("golden receipts (layout -> encoder -> driver -> UART -> virtual printer)", () => {
  for (const name of Object.keys(cases)) {
    it(name, () => {
      const c = cases[name]!;
      const r = printThroughChain(c.job, c.paperMm);
      assert.equal(r.err, null);
      assert.equal(r.rig.part.stats.bytesLost, 0);
      assert.deepEqual(r.rig.part.interp.warnings, [], "our own stream renders without warnings");
      assert.equal(r.rig.part.interp.wraps, 0, "no line wider than 32 columns");
      const file = path.join(dir, name + ".txt");
      if (update || !fs.existsSync(file)) {
        fs.writeFileSync(file, r.text);
        if (!update) assert.fail("golden " + name + ".txt was missing: written, check it and commit");
      }
      assert.equal(r.text, fs.readFileSync(file, "utf8"), "differs from " + file + " (UPDATE_GOLDEN=1 to accept)");
    });
  }

  it("receipts never carry more than the last four PAN digits and never an expiry", () => {
    for (const name of Object.keys(cases)) {
      const text = fs.readFileSync(path.join(dir, name + ".txt"), "utf8");
      assert.doesNotMatch(text, /\d{5,}[ ]?\d*4242|EXP|\d\d\/\d\d(?!\d)/, name);
    }
  });
});
