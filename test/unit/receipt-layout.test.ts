// Receipt and report layouts, rendered by the virtual printer's interpreter.
import { strict as assert } from "assert";
import { EscPosEncoder } from "../../drivers/escpos/encoder";
import { EscPosInterpreter } from "../../sim/escpos/interpreter";
import { renderText } from "../../sim/escpos/text";
import { renderReceipt, Copy, ReceiptTxn, MerchantInfo } from "../../firmware/receipt/receipt";
import { renderBatchReport, renderSettlement, netAmount } from "../../firmware/receipt/reports";
import { MERCHANT, SALE, DECLINED, REFUND, X_REPORT, SETTLEMENT, TOTALS } from "../fixtures/receipts/samples";

function text(fn: (e: EscPosEncoder) => void): { text: string; warnings: string[]; wraps: number } {
  const e = new EscPosEncoder();
  fn(e);
  const it = new EscPosInterpreter();
  it.run(e.bytes());
  return { text: renderText(it.paper), warnings: it.warnings, wraps: it.wraps };
}

describe("receipt layout", () => {
  it("fits 32 columns without wrapping, for every layout", () => {
    const long: MerchantInfo = { ...MERCHANT, name: "THE VERY LONG MERCHANT NAME TRADING LIMITED", address: ["A".repeat(40)] };
    const outs = [
      text((e) => renderReceipt(e, long, SALE, Copy.Merchant, true)),
      text((e) => renderReceipt(e, MERCHANT, { ...SALE, amount: 999999999, type: "PREAUTH COMPLETION" }, Copy.Customer, false)),
      text((e) => renderBatchReport(e, MERCHANT, X_REPORT, false)),
      text((e) => renderSettlement(e, MERCHANT, SETTLEMENT, false)),
    ];
    for (const o of outs) {
      assert.deepEqual(o.warnings, []);
      assert.equal(o.wraps, 0, "no line wider than the paper");
      for (const line of o.text.split("\n")) if (!line.startsWith("[")) assert.ok(line.length <= 32, "too long: '" + line + "'");
    }
    assert.ok(outs[1]!.text.includes("USD 9,999,999.99"));
  });

  it("shows only the last four digits even if handed more", () => {
    const t = text((e) => renderReceipt(e, MERCHANT, { ...SALE, last4: "4111111111111111" }, Copy.Customer, false)).text;
    assert.ok(t.includes("**** **** **** 1111"));
    assert.ok(!t.includes("41111111"));
  });

  it("merchant copy of an approval has the signature line; declines have neither auth code nor signature", () => {
    const m = text((e) => renderReceipt(e, MERCHANT, SALE, Copy.Merchant, false)).text;
    assert.match(m, /\nX_{31}\n/);
    assert.match(m, /--- MERCHANT COPY ---/);
    const d = text((e) => renderReceipt(e, MERCHANT, DECLINED, Copy.Merchant, false)).text;
    assert.doesNotMatch(d, /AUTH CODE|X___/);
    assert.match(d, /DECLINED\n\s+RESPONSE CODE 05/);
  });

  it("refunds print a negative amount; the QR carries TID-batch-invoice-STAN", () => {
    const t = text((e) => renderReceipt(e, MERCHANT, REFUND, Copy.Customer, false)).text;
    assert.match(t, /TOTAL\s+USD -4\.50/);
    assert.ok(t.includes("[QR: TID00001-000003-000009-000014]"));
  });

  it("reports: net = sales - refunds, lines per transaction", () => {
    assert.equal(netAmount(TOTALS), 1234500 - 450);
    const t = text((e) => renderBatchReport(e, MERCHANT, X_REPORT, false)).text;
    assert.match(t, /NET\s+USD 12,340\.50/);
    assert.match(t, /000009 REFUND \*4242\s+-4\.50/);
    const f = text((e) => renderSettlement(e, MERCHANT, { ...SETTLEMENT, approved: false, responseCode: "95", reconciled: false }, false)).text;
    assert.match(f, /FAILED\n\s+RESPONSE CODE 95/);
  });

  it("a formatted time string is printed as given", () => {
    const t = text((e) => renderReceipt(e, MERCHANT, { ...SALE, time: "2026-01-02 03:04:05" } as ReceiptTxn, Copy.Customer, false)).text;
    assert.ok(t.includes("DATE: 2026-01-02  TIME: 03:04:05"));
  });
});
