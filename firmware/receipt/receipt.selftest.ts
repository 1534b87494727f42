import { test, eq, ok } from "../../drivers/selftest/check";
import { EscPosEncoder } from "../../drivers/escpos/encoder";
import { pair, wrap, dateTime } from "./format";
import { renderReceipt, txnReference, Copy, MerchantInfo } from "./receipt";
import { Brand, EntryMode, TxnKind, TxnRecord, TxnState } from "../txn";

function textOf(e: EscPosEncoder): string {
  var b = e.bytes(), s = "";
  for (var i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

var M: MerchantInfo = { name: "ACME", address: ["1 MAIN ST"], mid: "000000000012345", tid: "TID00001", currency: "USD" };
var T: TxnRecord = {
  slot: 0, kind: TxnKind.SALE, state: TxnState.APPROVED, stan: 12, invoice: 7, batch: 3, amount: 123456,
  entryMode: EntryMode.Tap, brand: Brand.Visa, last4: "4242", token: "", date: "1126", time: "000509", when: 217814709, procCode: "000000",
  rc: "00", authCode: "A1B2C3", rrn: "000000000012", reversalPending: false, advicePending: false, origInvoice: 0,
};

test("receipt: pair, wrap, date", function () {
  eq(pair("A", "B", 5), "A   B", "pair");
  eq(pair("AAA", "BBB", 5), "AAA\n  BBB", "pair overflow");
  eq(wrap("aa bb cc", 5).join("|"), "aa bb|cc", "wrap");
  var dt = dateTime(1795651509);
  eq(dt[0] + " " + dt[1], "2026-11-26 00:05:09", "date");
  eq(dateTime(951782400)[0], "2000-02-29", "leap day");
});

test("receipt: ids, masked PAN, amount, reprint", function () {
  var e = new EscPosEncoder();
  renderReceipt(e, M, T, Copy.Customer, false);
  var s = textOf(e);
  ok(s.indexOf("**** **** **** 4242") >= 0, "masked pan");
  ok(s.indexOf("USD 1,234.56") >= 0, "amount");
  ok(s.indexOf("INVOICE: 000007") >= 0 && s.indexOf("STAN: 000012") >= 0, "invoice/stan");
  ok(s.indexOf("VISA") >= 0 && s.indexOf("TAP") >= 0, "card type and entry mode");
  ok(s.indexOf("REPRINT") < 0, "no reprint mark");
  ok(s.indexOf("DATE: 2026-11-26  TIME: 00:05:09") >= 0, "the record's time");
  eq(txnReference(M, T), "TID00001-000003-000007-000012", "reference");
  e.reset();
  renderReceipt(e, M, T, Copy.Merchant, true);
  ok(textOf(e).indexOf("REPRINT") >= 0, "reprint mark");
});
