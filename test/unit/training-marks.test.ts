// Training mode's mark on paper (docs/training.md): every layout prints TRAINING / NOT A
// TRANSACTION at its head and its foot when the merchant info says training, and never
// otherwise; the marked documents still fit the paper.
import { strict as assert } from "assert";
import { EscPosEncoder } from "../../drivers/escpos/encoder";
import { EscPosInterpreter } from "../../sim/escpos/interpreter";
import { renderText } from "../../sim/escpos/text";
import { renderReceipt, Copy, MerchantInfo } from "../../firmware/receipt/receipt";
import { renderBatchReport, renderSettlement } from "../../firmware/receipt/reports";
import { merchantOf } from "../../firmware/app/adapt/printer";
import { defaultSettings } from "../../firmware/app/settings";
import { MERCHANT, SALE, DECLINED, X_REPORT, SETTLEMENT, SETTLED_AT } from "../fixtures/receipts/samples";

function paper(fn: (e: EscPosEncoder) => void): { lines: string[]; wraps: number } {
  const e = new EscPosEncoder();
  fn(e);
  const it = new EscPosInterpreter();
  it.run(e.bytes());
  const lines = renderText(it.paper).split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("["));
  return { lines, wraps: it.wraps };
}

function layouts(m: MerchantInfo): { name: string; lines: string[]; wraps: number }[] {
  return [
    { name: "receipt", ...paper((e) => renderReceipt(e, m, SALE, Copy.Merchant, false)) },
    { name: "customer reprint", ...paper((e) => renderReceipt(e, m, SALE, Copy.Customer, true)) },
    { name: "declined", ...paper((e) => renderReceipt(e, m, DECLINED, Copy.Merchant, false)) },
    { name: "X report", ...paper((e) => renderBatchReport(e, m, X_REPORT, false)) },
    { name: "settlement", ...paper((e) => renderSettlement(e, m, SETTLEMENT, SETTLED_AT, false)) },
  ];
}

describe("training marks on paper", () => {
  it("every layout carries TRAINING / NOT A TRANSACTION first and last in training", () => {
    for (const l of layouts({ ...MERCHANT, training: true })) {
      assert.deepEqual(l.lines.slice(0, 2), ["*** TRAINING ***", "NOT A TRANSACTION"], l.name);
      assert.deepEqual(l.lines.slice(-2), ["*** TRAINING ***", "NOT A TRANSACTION"], l.name);
      assert.equal(l.wraps, 0, l.name + ": no line wider than the paper");
    }
  });

  it("no layout carries the mark outside training", () => {
    for (const l of layouts(MERCHANT)) assert.ok(!l.lines.join("\n").includes("TRAINING"), l.name);
    for (const l of layouts({ ...MERCHANT, training: false })) assert.ok(!l.lines.join("\n").includes("TRAINING"), l.name);
  });

  it("the merchant info says training exactly while the settings flag is 1", () => {
    const v = defaultSettings();
    assert.equal(v.training, 0);
    assert.equal(merchantOf(v).training, false);
    v.training = 1;
    assert.equal(merchantOf(v).training, true);
  });
});
