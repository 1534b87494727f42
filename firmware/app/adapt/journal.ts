// JournalPort over the engine's HostStore (transaction records) and the flash journal itself
// (fault state, supervisor recovery, the printed mark and the records in doubt). The Z-report
// shift mark lives in the settings store. Without a flash journal (bring-up on a RAM store)
// the open-receipt mark is kept in the settings store instead.
import { JournalPort, TxnInfo, Totals, ReportLine, appError } from "../ports";
import { HostStore, TxnRecord } from "../../host/types";
import { SettingsStore } from "../settings";
import { kindOf } from "./host";
import { IX_DOUBT } from "../../journal/records";

/** The parts of firmware/journal the app uses directly (Journal satisfies it). */
export interface JournalLike {
  state: string;
  reason: string;
  next(): { stan: number; invoice: number; batch: number };
  /** current batch first, then the older batches still retained */
  byInvoice(invoice: number): JRecord | null;
  recover(atLeast: { stan: number; invoice: number; batch: number }): { code: string; reason: string } | null;
  markPrinted(slot: number): { code: string; reason: string } | null;
  /** visits record slots with every bit of flags (IX_DOUBT: in doubt), one at a time */
  each(flags: number, fn: (slot: number, kind: number) => boolean, backwards?: boolean): void;
  bySlot(slot: number): { slot: number; stan: number; result: number; printed: boolean } | null;
  byStan(stan: number): { slot: number; stan: number; result: number; printed: boolean } | null;
  /** the open batch holds as many sales, refunds and voids as it may */
  batchFull(): boolean;
}


/** a flash journal record, as much as the app reads of it */
export interface JRecord {
  kind: number; stan: number; invoice: number; batch: number; amount: number; last4: string;
  result: number; rc: string; authCode: string; rrn: string; voided: boolean;
}

/** journal Result.Approved; Kind.Refund, Kind.Void */
const APPROVED = 1, K_REFUND = 2, K_VOID = 3;

/** a record of a closed batch, straight from the journal (it keeps no date/time) */
export function journalInfo(r: JRecord): TxnInfo {
  return {
    kind: r.kind === K_REFUND ? "refund" : r.kind === K_VOID ? "void" : "sale", amount: r.amount, stan: r.stan,
    invoice: r.invoice, batch: r.batch, last4: r.last4, entry: "", approved: r.result === APPROVED, rc: r.rc,
    authCode: r.authCode, rrn: r.rrn, date: "", time: "", voided: r.voided,
  };
}

export function recordInfo(r: TxnRecord): TxnInfo {
  var st = r.state as string;
  return {
    kind: kindOf(r.kind), amount: r.amount, stan: r.stan, invoice: r.invoice, batch: r.batch,
    last4: r.last4, entry: r.entryMode, approved: st === "APPROVED" || st === "VOIDED", rc: r.rc,
    authCode: r.authCode, rrn: r.rrn, date: r.date, time: r.time, voided: st === "VOIDED",
  };
}

/** totals of the open batch's records that `within` accepts, one record at a time */
export function totalsOf(store: HostStore, within: (r: TxnRecord) => boolean): Totals {
  var t: Totals = { saleCount: 0, saleAmount: 0, refundCount: 0, refundAmount: 0, voidCount: 0, voidAmount: 0 };
  store.eachRecord(function (r) {
    var st = r.state as string, k = r.kind as string;
    if (!within(r)) return;
    if (st === "VOIDED") { t.voidCount++; t.voidAmount += r.amount; return; }
    if (st !== "APPROVED") return;
    if (k === "SALE" || k === "OFFLINE") { t.saleCount++; t.saleAmount += r.amount; }
    else if (k === "REFUND") { t.refundCount++; t.refundAmount += r.amount; }
  });
  return t;
}

function byStan(store: HostStore, stan: number): TxnRecord | null {
  var found: TxnRecord | null = null;
  store.eachRecord(function (r) { if (r.stan !== stan) return false; found = r; return true; }, true);
  return found;
}

export function journalPort(store: HostStore, journal: JournalLike | null, settings: SettingsStore): JournalPort {
  var save = function (cb: (err: { code: string; message: string } | null) => void) {
    var err = settings.save();
    cb(err ? appError("SETTINGS", err) : null);
  };
  /** after the last Z report (a new batch starts a new shift too) */
  var inShift = function (r: TxnRecord): boolean {
    var v = settings.values;
    return store.currentBatch() !== v.shiftBatch || r.invoice > v.shiftFrom;
  };
  var last = function (): TxnRecord | null {
    var found: TxnRecord | null = null;
    store.eachRecord(function (r) { if ((r.kind as string) === "VOID" || !r.invoice) return false; found = r; return true; }, true);
    return found;
  };
  return {
    fault: function () { return journal && journal.state === "fault" ? journal.reason || "unreadable" : null; },
    saleRefusal: function () { return journal && journal.state === "ok" && journal.batchFull() ? "Batch full" : null; },
    last: function () {
      var r = last();
      if (r) return recordInfo(r);
      if (!journal || journal.state === "fault") return null;
      // after a settlement the open batch is empty: the last invoice issued is next - 1
      var n = journal.next().invoice;
      var j = journal.byInvoice(n > 1 ? n - 1 : 999999);
      return j ? journalInfo(j) : null;
    },
    byInvoice: function (n) {
      var r = store.findByInvoice(n);
      if (r) return recordInfo(r);
      var j = journal && journal.state !== "fault" ? journal.byInvoice(n) : null;
      return j ? journalInfo(j) : null;
    },
    batchTotals: function () { return totalsOf(store, function () { return true; }); },
    shiftTotals: function () { return totalsOf(store, inShift); },
    eachShiftLine: function (fn: (l: ReportLine) => void) {
      store.eachRecord(function (r) {
        var st = r.state as string;
        if (inShift(r) && (st === "APPROVED" || st === "VOIDED")) fn({ invoice: r.invoice, type: (r.kind as string) + (st === "VOIDED" ? "*" : ""), last4: r.last4, amount: r.amount });
      });
    },
    closeShift: function (cb) {
      var r = last();
      settings.values.shiftBatch = store.currentBatch();
      settings.values.shiftFrom = r ? r.invoice : 0;
      save(cb);
    },
    unfinishedReceipt: function () {
      if (journal) {
        var found: TxnRecord | null = null, j = journal;
        j.each(IX_DOUBT, function (slot) {
          var d = j.bySlot(slot);
          if (!d || d.result !== APPROVED || d.printed) return false;
          found = byStan(store, d.stan);
          return !!found;
        }, true);
        return found ? recordInfo(found) : null;
      }
      var n = settings.values.receiptOpen;
      var rec = n ? byStan(store, n) : null;
      return rec ? recordInfo(rec) : null;
    },
    receiptStarted: function (n, cb) {
      if (journal) { cb(null); return; } // unprinted from the commit on
      settings.values.receiptOpen = n;
      save(cb);
    },
    receiptDone: function (n, cb) {
      if (journal) {
        var r = journal.byStan(n);
        var e = r && !r.printed ? journal.markPrinted(r.slot) : null;
        cb(e ? appError("JOURNAL", e.reason) : null);
        return;
      }
      if (settings.values.receiptOpen !== n) { cb(null); return; }
      settings.values.receiptOpen = 0;
      save(cb);
    },
    recover: function (minStan, minInvoice, minBatch, cb) {
      if (!journal) { cb(appError("JOURNAL", "no flash journal")); return; }
      var e = journal.recover({ stan: minStan, invoice: minInvoice, batch: minBatch });
      cb(e ? appError("JOURNAL", e.reason) : null);
    },
  };
}
