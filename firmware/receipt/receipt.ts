// Sale/refund/void receipt layout, as wide as the printer (enc.columns: 32 on 58 mm, font A).
// Input is the transaction record (firmware/txn.ts) as the engine answered it or as the
// journal reads it back, so a reprint prints what the live receipt printed: no PAN, only the
// last four digits; amounts in integer minor units.
import { PrintDoc, PrintJob, Align, Hri, QrEc } from "../../drivers/print-doc";
import { formatAmount, zeroPad } from "../util/money";
import { maskedPan, lastFour } from "../util/mask";
import { pair, rule, wrap, dateTime } from "./format";
import { Brand, TxnKind, TxnRecord, TxnState } from "../txn";

export interface MerchantInfo {
  name: string;
  /** address lines, printed centred */
  address: string[];
  mid: string;
  tid: string;
  /** ISO 4217 letters, e.g. "USD" */
  currency: string;
  /** training mode (docs/training.md): TRAINING / NOT A TRANSACTION at the head and the foot */
  training?: boolean;
}

/** the card type as printed ("CARD" when not known) */
export function brandName(b: Brand): string {
  return b === Brand.Visa ? "VISA" : b === Brand.Mastercard ? "MASTERCARD" : b === Brand.Amex ? "AMEX" : b === Brand.Discover ? "DISCOVER" :
    b === Brand.Jcb ? "JCB" : b === Brand.Diners ? "DINERS" : b === Brand.UnionPay ? "UNIONPAY" : "CARD";
}

/** the entry mode (DE 22) as printed ("" when not known) */
export function entryName(de22: string): string {
  var p = de22.substr(0, 2);
  return p === "02" ? "SWIPE" : p === "07" ? "TAP" : p === "05" ? "CHIP" : p === "01" ? "MANUAL" : "";
}

export const enum Copy { Merchant = 0, Customer = 1 }

/** the transaction reference printed as text and QR: TID-BATCH-INVOICE-STAN */
export function txnReference(m: MerchantInfo, t: TxnRecord): string {
  return m.tid + "-" + zeroPad(t.batch, 6) + "-" + zeroPad(t.invoice, 6) + "-" + zeroPad(t.stan, 6);
}

/** centred name/address block with the REPRINT banner when needed (shared with reports) */
export function renderHeader(e: PrintDoc, m: MerchantInfo, reprint: boolean): void {
  var COLUMNS = e.columns; // the printer's characters per line (its board part, via the driver)
  e.init().align(Align.Center);
  if (m.training) e.bold(true).line("*** TRAINING ***").line("NOT A TRANSACTION").bold(false);
  if (reprint) e.bold(true).line("***** REPRINT *****").bold(false);
  if (m.name.length <= COLUMNS / 2) e.size(2, 2).line(m.name).size(1, 1);
  else e.bold(true).line(m.name.substr(0, COLUMNS)).bold(false);
  for (var i = 0; i < m.address.length; i++) e.line(m.address[i]!.substr(0, COLUMNS));
  e.align(Align.Left).newline();
  e.line(pair("MID:", m.mid, COLUMNS));
  e.line(pair("TID:", m.tid, COLUMNS));
}

/** training: pass the MerchantInfo's flag (every layout's footer carries the mark too) */
export function renderFooter(e: PrintDoc, label: string, reprint: boolean, training?: boolean): void {
  e.align(Align.Center).line(label);
  if (reprint) e.bold(true).line("***** REPRINT *****").bold(false);
  if (training) e.bold(true).line("*** TRAINING ***").line("NOT A TRANSACTION").bold(false);
  e.align(Align.Left).feed(3).cut();
}

function lines(e: PrintDoc, s: string): void {
  var parts = s.split("\n");
  for (var i = 0; i < parts.length; i++) e.line(parts[i]!);
}

export function renderReceipt(e: PrintDoc, m: MerchantInfo, t: TxnRecord, copy: Copy, reprint: boolean): void {
  var COLUMNS = e.columns;
  // a voided sale was approved: its reprint is the approved receipt
  var approved = t.state === TxnState.APPROVED || t.state === TxnState.VOIDED;
  renderHeader(e, m, reprint);
  // the time the journal keeps for it, or none: never the clock's guess
  var when = t.when === undefined ? -1 : t.when; // seconds since 2020-01-01 (firmware/clock.ts)
  if (when >= 0) {
    var dt = dateTime(1577836800 + when);
    lines(e, pair("DATE: " + dt[0], "TIME: " + dt[1], COLUMNS));
  } else {
    e.line("TIME: not set (no host sync)");
  }
  lines(e, pair("BATCH: " + zeroPad(t.batch, 6), "INVOICE: " + zeroPad(t.invoice, 6), COLUMNS));
  e.line("STAN: " + zeroPad(t.stan, 6));
  e.line(rule("-", COLUMNS));
  e.bold(true).size(2, 1).line(t.kind === TxnKind.OFFLINE ? TxnKind.SALE : t.kind).size(1, 1).bold(false);
  lines(e, pair(brandName(t.brand), entryName(t.entryMode), COLUMNS));
  e.line(maskedPan(lastFour(t.last4)));
  e.newline();
  var amount = (t.kind === TxnKind.REFUND || t.kind === TxnKind.VOID ? "-" : "") + formatAmount(t.amount);
  e.bold(true);
  lines(e, pair("TOTAL", m.currency + " " + amount, COLUMNS));
  e.bold(false);
  e.line(rule("-", COLUMNS));
  if (approved) {
    if (t.authCode) e.line(pair("AUTH CODE:", t.authCode, COLUMNS));
    if (t.rrn) e.line(pair("RRN:", t.rrn, COLUMNS));
  } else if (t.rrn) {
    e.line(pair("RRN:", t.rrn, COLUMNS));
  }
  e.align(Align.Center).size(2, 2);
  e.line(approved ? "APPROVED" : "DECLINED");
  e.size(1, 1);
  if (!approved && t.rc) e.line("RESPONSE CODE " + t.rc);
  e.newline();
  var ref = txnReference(m, t);
  e.qr(ref, 4, QrEc.M);
  e.line(ref);
  e.align(Align.Left);
  if (copy === Copy.Merchant && approved) {
    e.newline().newline().line("X" + rule("_", COLUMNS - 1));
    var agree = wrap("CARDHOLDER AGREES TO PAY THE ABOVE TOTAL ACCORDING TO THE CARD ISSUER AGREEMENT", COLUMNS);
    for (var i = 0; i < agree.length; i++) e.line(agree[i]!);
  }
  e.newline();
  renderFooter(e, copy === Copy.Merchant ? "--- MERCHANT COPY ---" : "--- CUSTOMER COPY ---", reprint, m.training);
}

/** the job the printer driver takes (re-rendered with reprint = true after paper out) */
export function receiptJob(m: MerchantInfo, t: TxnRecord, copy: Copy, reprint?: boolean): PrintJob {
  return {
    render: function (e: PrintDoc, again: boolean) { renderReceipt(e, m, t, copy, again || !!reprint); },
  };
}

/** a CODE128 of the reference, for terminals configured to print one (not on by default) */
export function renderReferenceBarcode(e: PrintDoc, m: MerchantInfo, t: TxnRecord): void {
  e.align(Align.Center).barcode128(zeroPad(t.batch, 6) + zeroPad(t.invoice, 6), 60, 2, Hri.Below).align(Align.Left);
}
