// HostStore over the flash journal (firmware/journal, docs/journal.md): the one place where a
// journal frame becomes a TxnRecord (firmware/txn.ts). The journal keeps what must survive a
// power cut (numbers, amount, token, last four, entry mode, answer with the card type, state
// bytes, the record's time); what it does not keep (DE 3) is held in RAM for the record in
// flight only (so memory does not grow with sales) and rebuilt otherwise: DE 3 from the kind,
// DE 12/13 from the stored time (omitted when it is unknown: the host matches a reversal on
// TID + STAN + amount + processing code). The card
// type is journaled with the answer, so until then it comes from the record in flight too.
// Every query walks the journal one record at a time.
import { Journal, JournalRecord as JRec, IX_CUR, IX_ADV } from "../journal/journal";
import { OFFLINE_AUTH_PREFIX } from "../journal/records";
import { fromHex, strToBytes, toHex } from "./hex";
import { PC_REFUND, PC_SALE, PC_VOID, PC_VOID_REFUND } from "./messages";
import { Cb, HostError, HostStore, StanPurpose } from "./types";
import { Brand, Kind, Result, TxnKind, TxnRecord, TxnState } from "../txn";
import { hostFields } from "../clock";

export { OFFLINE_AUTH_PREFIX };

interface Extra { slot: number; procCode: string; brand: Brand; time: string; date: string; }

function jerr(e: { code: string; reason: string }): HostError {
  return { code: "JOURNAL", message: e.code + ": " + e.reason };
}
function isErr(x: any): x is { code: string; reason: string } { return !!x && typeof x.code === "string"; }

function isOffline(j: JRec): boolean {
  return j.kind === Kind.Sale && j.result === Result.Approved && j.rrn === "" &&
    j.authCode.substr(0, 2) === OFFLINE_AUTH_PREFIX;
}

function tokenBytes(t: string): Uint8Array {
  var b = fromHex(t) || strToBytes(t);
  return b.length > 8 ? b.subarray(0, 8) : b;
}

function kindOf(r: JRec): TxnKind | null {
  if (r.kind === Kind.Sale) return isOffline(r) ? TxnKind.OFFLINE : TxnKind.SALE;
  if (r.kind === Kind.Refund) return TxnKind.REFUND;
  if (r.kind === Kind.Void) return TxnKind.VOID;
  return null;
}

function stateOf(r: JRec): TxnState {
  if (r.reversed) return TxnState.REVERSED;
  if (r.voided) return TxnState.VOIDED;
  if (r.result === Result.Approved) return TxnState.APPROVED;
  if (r.result === Result.Declined) return TxnState.DECLINED;
  if (r.reversalPending || r.result === Result.ApprovedInvalid) return TxnState.PENDING;
  return TxnState.NOT_SENT; // reversal cleared without an answer: never left
}

/** now: the trusted clock for admin frames' times (firmware/clock.ts clockNow; -1 unknown) */
export function createJournalStore(j: Journal, now?: () => number): HostStore {
  var extra: Extra | null = null; // the record in flight: its DE 3/12/13/22

  /** the sale/refund with that invoice in the open batch */
  function original(invoice: number): JRec | null {
    var r = j.byInvoice(invoice);
    return r && r.batch === j.next().batch ? r : null;
  }

  function convert(r: JRec | null): TxnRecord | null {
    var kind = r ? kindOf(r) : null;
    if (!r || !kind) return null;
    var x = extra && extra.slot === r.slot ? extra : null, pc = PC_SALE;
    if (kind === TxnKind.REFUND) pc = PC_REFUND;
    else if (kind === TxnKind.VOID) { var o = original(r.invoice); pc = o && o.kind === Kind.Refund ? PC_VOID_REFUND : PC_VOID; }
    var state = stateOf(r), hf = x ? x : hostFields(r.time); // DE 12/13 of the time it keeps
    return {
      slot: r.slot, kind: kind, state: state, stan: r.stan, invoice: r.invoice, batch: r.batch, amount: r.amount,
      entryMode: r.entryMode, brand: r.brand || (x ? x.brand : Brand.Unknown), last4: r.last4, token: toHex(r.token),
      date: hf.date, time: hf.time, when: r.time, procCode: x ? x.procCode : pc,
      rc: r.rc, authCode: r.authCode, rrn: r.rrn, reversalPending: r.reversalPending,
      advicePending: kind === TxnKind.OFFLINE && state === TxnState.APPROVED && !r.uploaded,
      origInvoice: kind === TxnKind.VOID ? r.invoice : 0,
    };
  }

  function done(cb: Cb<TxnRecord>, slot: number, e: any): void {
    if (isErr(e)) { cb(jerr(e)); return; }
    var t = convert(j.bySlot(slot));
    if (!t) cb({ code: "JOURNAL", message: "record " + slot + " unreadable" }); else cb(null, t);
  }

  function isTxn(k: number): boolean { return k === Kind.Sale || k === Kind.Refund || k === Kind.Void; }

  /** boot: finish a "void approved, original voided" pair cut between its two commits, so the
   *  original reads VOIDED everywhere (reports, settlement, reprints) */
  function repair(): void {
    if (j.state !== "ok") return;
    j.each(IX_CUR, function (s, k) {
      if (k !== Kind.Void) return false;
      var v = j.bySlot(s);
      if (!v || v.result !== Result.Approved || v.reversed) return false;
      var o = original(v.invoice);
      if (o && o.result === Result.Approved && !o.voided && !o.reversed) j.markVoided(o.slot);
      return false;
    });
  }
  repair();

  var STAN_KIND: { [p: string]: number } = { ECHO: Kind.Echo, LOGON: Kind.Logon, ADVICE: Kind.Advice, UPLOAD: Kind.Upload, SETTLE: Kind.Settle };

  return {
    allocStan: function (purpose: StanPurpose, cb: Cb<number>) {
      var res = j.reserve(STAN_KIND[purpose]!, { time: now ? now() : -1 });
      if (isErr(res)) cb(jerr(res)); else cb(null, res.stan);
    },
    begin: function (d: TxnRecord, cb: Cb<TxnRecord>) {
      var kind = d.kind === TxnKind.REFUND ? Kind.Refund : d.kind === TxnKind.VOID ? Kind.Void : Kind.Sale;
      var res = j.reserve(kind, { amount: d.amount, token: tokenBytes(d.token), last4: d.last4, entryMode: d.entryMode, time: d.when,
        origInvoice: d.kind === TxnKind.VOID ? d.origInvoice : undefined });
      if (isErr(res)) { cb(jerr(res)); return; }
      extra = { slot: res.slot, procCode: d.procCode, brand: d.brand, time: d.time, date: d.date };
      // an offline sale never leaves now: nothing to reverse
      var e = d.kind === TxnKind.OFFLINE ? j.clearReversal(res.slot, false) : null;
      if (isErr(e)) { cb(jerr(e)); return; }
      var t = convert(j.bySlot(res.slot));
      if (!t) { cb({ code: "JOURNAL", message: "reserved record unreadable" }); return; }
      if (d.kind === TxnKind.OFFLINE) { t.kind = TxnKind.OFFLINE; t.state = TxnState.PENDING; }
      cb(null, t);
    },
    update: function (stan: number, c: Partial<TxnRecord>, cb: Cb<TxnRecord>) {
      var r = j.byStan(stan);
      if (!r) { cb({ code: "NOT_FOUND", message: "no record with STAN " + stan }); return; }
      var slot = r.slot, e: any = null, brand = extra && extra.slot === slot ? extra.brand : Brand.Unknown;
      if (c.state === TxnState.NOT_SENT) e = j.markNotSent(slot);
      else if (c.state === TxnState.APPROVED) {
        e = j.markAnswered(slot, Result.Approved, c.rc || "00", c.authCode || "", c.rrn || "", brand);
        if (!e && r.kind === Kind.Void) {
          // second commit; a cut before it is finished by repair() at the next boot
          var orig = original(r.invoice);
          if (orig) e = j.markVoided(orig.slot);
        }
      } else if (c.state === TxnState.DECLINED) e = j.markAnswered(slot, Result.Declined, c.rc || "", "", "", brand);
      else if (c.state === TxnState.REVERSED) e = j.clearReversal(slot, true);
      if (!e && c.advicePending === false) e = j.markUploaded(slot);
      done(cb, slot, e);
    },
    pendingReversal: function () { return convert(j.pendingReversal()); },
    nextAdvice: function () {
      var slot = j.nextSlot(-1, IX_ADV);
      return slot < 0 ? null : convert(j.bySlot(slot));
    },
    adviceCount: function () { return j.count(IX_ADV); },
    findByInvoice: function (invoice: number, anyBatch?: boolean) { return convert(anyBatch ? j.byInvoice(invoice) : original(invoice)); },
    eachRecord: function (fn: (r: TxnRecord) => boolean | void, backwards?: boolean) {
      j.each(IX_CUR, function (s, k) {
        if (!isTxn(k)) return false;
        var t = convert(j.bySlot(s));
        return !!t && !!fn(t);
      }, backwards);
    },
    recordAfter: function (slot: number) {
      for (var s = j.nextSlot(slot, IX_CUR); s >= 0; s = j.nextSlot(s, IX_CUR)) {
        var t = convert(j.bySlot(s));
        if (t) return t;
      }
      return null;
    },
    currentBatch: function () { return j.next().batch; },
    closeBatch: function (cb: Cb<number>) {
      var res = j.closeBatch();
      if (isErr(res)) cb(jerr(res)); else { extra = null; cb(null, res); }
    },
  };
}
