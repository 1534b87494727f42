// JournalPort over the engine's HostStore (the journal's transaction records) plus the two
// marks the app owns, kept in the settings store: the open receipt (set before the merchant
// copy prints, cleared after) and the shift start for X/Z reports. Both are A/B settings
// saves, so a power cut leaves either the old or the new mark.
import { JournalPort, TxnInfo, Totals, appError } from "../ports";
import { HostStore, TxnRecord } from "../../host/types";
import { SettingsStore } from "../settings";
import { kindOf } from "./host";

export interface JournalHealth {
  /** null when the journal opened cleanly, else why not */
  fault(): string | null;
  /** supervisor recovery: resume serials no lower than these; cb after it is durable */
  recover(minStan: number, minInvoice: number, cb: (err: { message: string } | null) => void): void;
}

export function recordInfo(r: TxnRecord): TxnInfo {
  var st = r.state as string;
  return {
    kind: kindOf(r.kind), amount: r.amount, stan: r.stan, invoice: r.invoice, batch: r.batch,
    last4: r.last4, entry: r.entryMode, approved: st === "APPROVED" || st === "VOIDED", rc: r.rc,
    authCode: r.authCode, rrn: r.rrn, date: r.date, time: r.time, voided: st === "VOIDED",
  };
}

export function totalsOf(records: TxnRecord[], after: (r: TxnRecord) => boolean): Totals {
  var t: Totals = { saleCount: 0, saleAmount: 0, refundCount: 0, refundAmount: 0, voidCount: 0, voidAmount: 0 };
  for (var i = 0; i < records.length; i++) {
    var r = records[i]!;
    var st = r.state as string;
    if (!after(r)) continue;
    var k = r.kind as string;
    if (st === "VOIDED") { t.voidCount++; t.voidAmount += r.amount; continue; }
    if (st !== "APPROVED") continue;
    if (k === "SALE" || k === "OFFLINE") { t.saleCount++; t.saleAmount += r.amount; }
    else if (k === "REFUND") { t.refundCount++; t.refundAmount += r.amount; }
  }
  return t;
}

export function journalPort(store: HostStore, health: JournalHealth, settings: SettingsStore): JournalPort {
  var save = function (cb: (err: { code: string; message: string } | null) => void) {
    var err = settings.save();
    cb(err ? appError("SETTINGS", err) : null);
  };
  var last = function (): TxnRecord | null {
    var all = store.batchRecords();
    for (var i = all.length - 1; i >= 0; i--) {
      var k = all[i]!.kind as string;
      if (k !== "VOID" && all[i]!.invoice) return all[i]!;
    }
    return null;
  };
  return {
    fault: function () { return health.fault(); },
    last: function () { var r = last(); return r ? recordInfo(r) : null; },
    byInvoice: function (n) { var r = store.findByInvoice(n); return r ? recordInfo(r) : null; },
    batchTotals: function () { return totalsOf(store.batchRecords(), function () { return true; }); },
    shiftTotals: function () {
      var v = settings.values;
      var batch = store.currentBatch();
      return totalsOf(store.batchRecords(), function (r) { return batch !== v.shiftBatch || r.invoice > v.shiftFrom; });
    },
    closeShift: function (cb) {
      var r = last();
      settings.values.shiftBatch = store.currentBatch();
      settings.values.shiftFrom = r ? r.invoice : 0;
      save(cb);
    },
    unfinishedReceipt: function () {
      var n = settings.values.receiptOpen;
      if (!n) return null;
      var all = store.batchRecords();
      for (var i = all.length - 1; i >= 0; i--) if (all[i]!.stan === n) return recordInfo(all[i]!);
      return null;
    },
    receiptStarted: function (n, cb) { settings.values.receiptOpen = n; save(cb); },
    receiptDone: function (n, cb) {
      if (settings.values.receiptOpen !== n) { cb(null); return; }
      settings.values.receiptOpen = 0;
      save(cb);
    },
    recover: function (minStan, minInvoice, cb) {
      health.recover(minStan, minInvoice, function (err) { cb(err ? appError("JOURNAL", err.message) : null); });
    },
  };
}
