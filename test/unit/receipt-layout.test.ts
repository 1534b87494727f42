// Receipt and report layouts, rendered by the virtual printer's interpreter.
import { strict as assert } from "assert";
import { EscPosEncoder } from "../../drivers/escpos/encoder";
import { EscPosInterpreter } from "../../sim/escpos/interpreter";
import { renderText } from "../../sim/escpos/text";
import { renderReceipt, Copy, MerchantInfo, brandName, entryName } from "../../firmware/receipt/receipt";
import { renderBatchReport, renderSettlement, netAmount } from "../../firmware/receipt/reports";
import { Brand, TxnKind, TxnState, brandOf } from "../../firmware/txn";
import { MERCHANT, SALE, DECLINED, REFUND, X_REPORT, SETTLEMENT, SETTLED_AT, TOTALS } from "../fixtures/receipts/samples";

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
      text((e) => renderReceipt(e, MERCHANT, { ...SALE, amount: 999999999, kind: TxnKind.OFFLINE, brand: Brand.UnionPay }, Copy.Customer, false)),
      text((e) => renderBatchReport(e, MERCHANT, X_REPORT, false)),
      text((e) => renderSettlement(e, MERCHANT, SETTLEMENT, SETTLED_AT, false)),
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
    const f = text((e) => renderSettlement(e, MERCHANT, { ...SETTLEMENT, approved: false, rc: "95", uploaded: 0 }, SETTLED_AT, false)).text;
    assert.match(f, /FAILED\n\s+RESPONSE CODE 95/);
  });

  it("date and time from the time the journal keeps; 'not set' with the reason when it has none, never a guess", () => {
    const t = text((e) => renderReceipt(e, MERCHANT, { ...SALE, when: 31 * 86400 + 3 * 3600 + 4 * 60 + 5 }, Copy.Customer, false)).text;
    assert.match(t, /DATE: 2020-02-01 +TIME: 03:04:05/);
    for (const at of [-1, undefined]) {
      const r = text((e) => renderReceipt(e, MERCHANT, { ...SALE, when: at, date: "1126", time: "000509" }, Copy.Customer, true)).text;
      assert.match(r, /\nTIME: not set \(no host sync\)\n/);
      assert.doesNotMatch(r, /DATE:|11-26|00:05:09/);
    }
    const x = text((e) => renderBatchReport(e, MERCHANT, { ...X_REPORT, time: "no host sync since power-up" }, false)).text;
    assert.match(x, /TIME: not set \(no host sync since\npower-up\)|TIME: not set \(no host sync\nsince power-up\)/);
  });

  it("card type and entry mode on the card line; CARD and nothing when not known", () => {
    // the line under the transaction type
    const line = (t: typeof SALE) => { const l = text((e) => renderReceipt(e, MERCHANT, t, Copy.Customer, false)).text.split("\n"); return l[l.indexOf("SALE") + 1]!; };
    assert.match(line({ ...SALE, brand: Brand.Visa, entryMode: "021" })!, /^VISA +SWIPE$/);
    assert.match(line({ ...SALE, brand: Brand.Mastercard, entryMode: "071" })!, /^MASTERCARD +TAP$/);
    assert.match(line({ ...SALE, brand: Brand.Amex, entryMode: "012" })!, /^AMEX +MANUAL$/);
    assert.match(line({ ...SALE, brand: Brand.Unknown, entryMode: "" })!, /^CARD *$/);
    assert.deepEqual([brandName(Brand.Discover), brandName(Brand.Jcb), entryName("051")], ["DISCOVER", "JCB", "CHIP"]);
  });

  it("card type from the PAN's leading digits", () => {
    const cases: [string, Brand][] = [["4111111111111111", Brand.Visa], ["5555555555554444", Brand.Mastercard], ["2221000000000009", Brand.Mastercard],
      ["378282246310005", Brand.Amex], ["6011000990139424", Brand.Discover], ["3530111333300000", Brand.Jcb], ["36227206271667", Brand.Diners],
      ["6212345678901232", Brand.UnionPay], ["9999", Brand.Unknown], ["", Brand.Unknown]];
    for (const [pan, b] of cases) assert.equal(brandOf(pan), b, pan);
  });

  it("a voided sale reprints as the approval it was; a declined one shows its response code", () => {
    assert.match(text((e) => renderReceipt(e, MERCHANT, { ...SALE, state: TxnState.VOIDED }, Copy.Merchant, true)).text, /APPROVED/);
    assert.match(text((e) => renderReceipt(e, MERCHANT, DECLINED, Copy.Merchant, false)).text, /RESPONSE CODE 05/);
  });
});
