// JournalPort over the engine's HostStore (transaction records) and the flash journal itself
// (fault state, supervisor recovery, the printed mark and the records in doubt). The Z-report
// shift mark lives in the settings store. Without a flash journal (bring-up on a RAM store)
// the open-receipt mark is kept in the settings store instead.
import { JournalPort, appError } from "../ports";
import { HostStore } from "../../host/types";
import { batchTotals } from "../../host/messages";
import { SettingsStore } from "../settings";
import { IX_DOUBT } from "../../journal/records";
import { Result, TxnKind, TxnRecord, TxnState } from "../../txn";

/** The parts of firmware/journal the app uses directly (Journal satisfies it). */
export interface JournalLike {
  state: string;
  reason: string;
  next(): { stan: number; invoice: number; batch: number };
  recover(atLeast: { stan: number; invoice: number; batch: number }): { code: string; reason: string } | null;
  markPrinted(slot: number): { code: string; reason: string } | null;
  /** visits record slots with every bit of flags (IX_DOUBT: in doubt), one at a time */
  each(flags: number, fn: (slot: number, kind: number) => boolean, backwards?: boolean): void;
  bySlot(slot: number): { slot: number; stan: number; result: Result; printed: boolean } | null;
  byStan(stan: number): { slot: number; stan: number; result: Result; printed: boolean } | null;
  /** the open batch holds as many sales, refunds and voids as it may */
  batchFull(): boolean;
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
    store.eachRecord(function (r) { if (r.kind === TxnKind.VOID || !r.invoice) return false; found = r; return true; }, true);
    return found;
  };
  return {
    fault: function () { return journal && journal.state === "fault" ? journal.reason || "unreadable" : null; },
    saleRefusal: function () { return journal && journal.state === "ok" && journal.batchFull() ? "Batch full" : null; },
    last: function () {
      var r = last();
      if (r || !journal || journal.state === "fault") return r;
      // after a settlement the open batch is empty: the last invoice issued is next - 1
      var n = journal.next().invoice;
      return store.findByInvoice(n > 1 ? n - 1 : 999999, true);
    },
    byInvoice: function (n) { return store.findByInvoice(n, true); },
    batchTotals: function () { return batchTotals(store); },
    shiftTotals: function () { return batchTotals(store, inShift); },
    eachShiftLine: function (fn) {
      store.eachRecord(function (r) {
        if (inShift(r) && (r.state === TxnState.APPROVED || r.state === TxnState.VOIDED)) fn(r);
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
          if (!d || d.result !== Result.Approved || d.printed) return false;
          found = byStan(store, d.stan);
          return !!found;
        }, true);
        return found;
      }
      var n = settings.values.receiptOpen;
      return n ? byStan(store, n) : null;
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
