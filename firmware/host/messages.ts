// Message builders: journal record (+ RAM-only card data) -> IsoMsg, per docs/host-protocol.md
// §1.3. Reversals, advices and uploads are built from the journal record alone, so they can
// never carry a PAN, track data or a PIN block.
import { IsoMsg, digits, trimRight } from "./iso8583";
import { HostSettings } from "./types";
import { CardData, TxnKind, TxnRecord, TxnState, Totals } from "../txn";

export const PC_SALE = "000000";
export const PC_VOID = "020000";
export const PC_VOID_REFUND = "220000";
export const PC_REFUND = "200000";
export const PC_SETTLE = "920000";
export const PC_SETTLE_AFTER_UPLOAD = "960000";
export const PC_ECHO = "990000";
export const PC_LOGON = "920000";
const POS_CONDITION = "00";

function base(mti: string, procCode: string, stan: number, s: HostSettings): IsoMsg {
  var m: IsoMsg = { mti: mti, f: {} };
  m.f[3] = procCode;
  m.f[11] = digits(stan, 6);
  m.f[24] = s.nii;
  m.f[41] = s.tid;
  return m;
}

function txnFields(m: IsoMsg, rec: TxnRecord, s: HostSettings): IsoMsg {
  m.f[4] = digits(rec.amount, 12);
  // a record rebuilt from the journal after a reboot may lack them (reversal identity is
  // TID + STAN + amount + processing code)
  if (rec.time) m.f[12] = rec.time;
  if (rec.date) m.f[13] = rec.date;
  if (rec.entryMode) m.f[22] = rec.entryMode;
  m.f[25] = POS_CONDITION;
  m.f[42] = s.mid;
  m.f[62] = digits(rec.invoice, 6);
  return m;
}

/** 0200 sale/refund with the card data of this one request (DE 2+14 or DE 35, DE 55) */
export function buildPayment(rec: TxnRecord, card: CardData, s: HostSettings): IsoMsg {
  var m = txnFields(base("0200", rec.procCode, rec.stan, s), rec, s);
  if (card.track2) {
    m.f[35] = card.track2;
  } else {
    m.f[2] = card.pan || "";
    if (card.expiry) m.f[14] = card.expiry;
  }
  if (card.icc && card.icc.length) m.f[55] = card.icc;
  return m;
}

/** 0200 void of `orig` (its RRN, approval code and invoice) */
export function buildVoid(rec: TxnRecord, orig: TxnRecord, s: HostSettings): IsoMsg {
  var m = txnFields(base("0200", rec.procCode, rec.stan, s), rec, s);
  m.f[37] = orig.rrn;
  m.f[38] = orig.authCode;
  m.f[62] = digits(orig.invoice, 6);
  return m;
}

/** 0400: same STAN, processing code and amount as the original; no PAN */
export function buildReversal(rec: TxnRecord, s: HostSettings): IsoMsg {
  var m = txnFields(base("0400", rec.procCode, rec.stan, s), rec, s);
  if (rec.kind === TxnKind.VOID) m.f[62] = digits(rec.origInvoice, 6);
  return m;
}

/** 0220 advice of an offline sale; every transmission has its own STAN */
export function buildAdvice(rec: TxnRecord, stan: number, s: HostSettings): IsoMsg {
  var m = txnFields(base("0220", rec.procCode, stan, s), rec, s);
  m.f[38] = rec.authCode;
  return m;
}

/** 0320 batch upload of one record: DE 60 = original MTI + original STAN + 12 spaces */
export function buildUpload(rec: TxnRecord, stan: number, s: HostSettings): IsoMsg {
  var m = txnFields(base("0320", rec.procCode, stan, s), rec, s);
  if (rec.rrn) m.f[37] = rec.rrn;
  m.f[38] = rec.authCode;
  m.f[60] = (rec.kind === TxnKind.OFFLINE ? "0220" : "0200") + digits(rec.stan, 6) + "            ";
  return m;
}

/** approved sales (online and offline) and refunds of the open batch, and the voided ones
 *  (left out of sales and refunds), of the records `within` accepts (all when absent); one
 *  record at a time. DE 63 sends the sales and refunds. */
export function batchTotals(store: { eachRecord(fn: (r: TxnRecord) => boolean | void): void }, within?: (r: TxnRecord) => boolean): Totals {
  var t: Totals = { saleCount: 0, saleAmount: 0, refundCount: 0, refundAmount: 0, voidCount: 0, voidAmount: 0 };
  store.eachRecord(function (r) {
    if (within && !within(r)) return;
    if (r.state === TxnState.VOIDED) { t.voidCount++; t.voidAmount += r.amount; return; }
    if (r.state !== TxnState.APPROVED) return;
    if (r.kind === TxnKind.SALE || r.kind === TxnKind.OFFLINE) { t.saleCount++; t.saleAmount += r.amount; }
    else if (r.kind === TxnKind.REFUND) { t.refundCount++; t.refundAmount += r.amount; }
  });
  return t;
}

/** what DE 63 carries of the totals: sales and refunds */
export type SettleTotals = Pick<Totals, "saleCount" | "saleAmount" | "refundCount" | "refundAmount">;

/** DE 63: sale count (3) + amount (12) + refund count (3) + amount (12), zero padded to 90 */
export function formatTotals(t: SettleTotals): string {
  var s = digits(t.saleCount, 3) + digits(t.saleAmount, 12) + digits(t.refundCount, 3) + digits(t.refundAmount, 12);
  while (s.length < 90) s += "0";
  return s;
}

/** inverse of formatTotals; null when malformed */
export function parseTotals(s: string): SettleTotals | null {
  if (s.length < 30) return null;
  for (var i = 0; i < 30; i++) { var c = s.charCodeAt(i); if (c < 48 || c > 57) return null; }
  return {
    saleCount: parseInt(s.substr(0, 3), 10), saleAmount: parseInt(s.substr(3, 12), 10),
    refundCount: parseInt(s.substr(15, 3), 10), refundAmount: parseInt(s.substr(18, 12), 10),
  };
}

/** 0500 settlement: DE 60 batch number, DE 63 totals */
export function buildSettlement(stan: number, batch: number, t: SettleTotals, afterUpload: boolean, s: HostSettings): IsoMsg {
  var m = base("0500", afterUpload ? PC_SETTLE_AFTER_UPLOAD : PC_SETTLE, stan, s);
  m.f[42] = s.mid;
  m.f[60] = digits(batch, 6);
  m.f[63] = formatTotals(t);
  return m;
}

export function buildEcho(stan: number, s: HostSettings): IsoMsg {
  return base("0800", PC_ECHO, stan, s);
}

export function buildLogon(stan: number, s: HostSettings): IsoMsg {
  var m = base("0800", PC_LOGON, stan, s);
  m.f[42] = s.mid;
  return m;
}

/** "0200" -> "0210" */
export function responseMti(mti: string): string {
  return mti.substr(0, 2) + String.fromCharCode(mti.charCodeAt(2) + 1) + mti.substr(3);
}

/** DE 39 without padding ("" when absent) */
export function rcOf(m: IsoMsg): string {
  var v = m.f[39];
  return typeof v === "string" ? trimRight(v) : "";
}

export function textOf(m: IsoMsg, de: number): string {
  var v = m.f[de];
  return typeof v === "string" ? trimRight(v) : "";
}
