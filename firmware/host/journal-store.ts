// HostStore over the flash journal (firmware/journal, docs/journal.md). The journal keeps
// what must survive a power cut (numbers, amount, token, last four, answer, state bytes);
// what it does not keep (DE 3, 12, 13, 22) is held in RAM for the records of this power-up
// and rebuilt after a reboot: DE 3 from the kind, the others omitted (the host matches a
// reversal on TID + STAN + amount + processing code).
import { Journal, Kind, Result, TxnRecord as JRec } from "../journal/journal";
import { fromHex, strToBytes, toHex } from "./hex";
import { PC_REFUND, PC_SALE, PC_VOID, PC_VOID_REFUND } from "./messages";
import { Cb, HostError, HostStore, StanPurpose, TxnKind, TxnRecord, TxnState } from "./types";

/** offline approvals carry an approval code starting "Y1" and no RRN */
export var OFFLINE_AUTH_PREFIX = "Y1";

interface Extra { procCode: string; entryMode: string; time: string; date: string; }

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

export function createJournalStore(j: Journal): HostStore {
  var extra: { [slot: number]: Extra } = {};

  function kindOf(r: JRec): TxnKind | null {
    if (r.kind === Kind.Sale) return isOffline(r) ? TxnKind.OFFLINE : TxnKind.SALE;
    if (r.kind === Kind.Refund) return TxnKind.REFUND;
    if (r.kind === Kind.Void) return TxnKind.VOID;
    return null;
  }

  function stateOf(r: JRec, voids: { [inv: string]: boolean } | null): TxnState {
    if (r.reversed) return TxnState.REVERSED;
    if (r.voided) return TxnState.VOIDED;
    // an approved void is the truth even if the cut came before the original's markVoided
    if (voids && r.kind !== Kind.Void && r.result === Result.Approved && voids[String(r.invoice)]) return TxnState.VOIDED;
    if (r.result === Result.Approved) return TxnState.APPROVED;
    if (r.result === Result.Declined) return TxnState.DECLINED;
    if (r.reversalPending || r.result === Result.ApprovedInvalid) return TxnState.PENDING;
    return TxnState.NOT_SENT; // reversal cleared without an answer: never left
  }

  function procCodeOf(r: JRec, kind: TxnKind): string {
    if (kind === TxnKind.REFUND) return PC_REFUND;
    if (kind !== TxnKind.VOID) return PC_SALE;
    var orig = original(r.invoice);
    return orig && orig.kind === Kind.Refund ? PC_VOID_REFUND : PC_VOID;
  }

  /** the sale/refund with that invoice in the open batch */
  function original(invoice: number): JRec | null {
    var list = j.batchList();
    for (var i = list.length - 1; i >= 0; i--) {
      var r = list[i]!;
      if (r.invoice === invoice && (r.kind === Kind.Sale || r.kind === Kind.Refund)) return r;
    }
    return null;
  }

  /** invoices cancelled by an approved, not reversed void in this list */
  function voidsIn(list: JRec[]): { [inv: string]: boolean } {
    var v: { [inv: string]: boolean } = {};
    for (var i = 0; i < list.length; i++) {
      var r = list[i]!;
      if (r.kind === Kind.Void && r.result === Result.Approved && !r.reversed) v[String(r.invoice)] = true;
    }
    return v;
  }

  function convert(r: JRec, voids?: { [inv: string]: boolean }): TxnRecord | null {
    var kind = kindOf(r);
    if (!kind) return null;
    var x = extra[r.slot];
    var state = stateOf(r, voids || voidsIn(j.batchList()));
    return {
      stan: r.stan, invoice: r.invoice, batch: r.batch, kind: kind, state: state, amount: r.amount,
      procCode: x ? x.procCode : procCodeOf(r, kind), entryMode: x ? x.entryMode : "",
      token: toHex(r.token), last4: r.last4, time: x ? x.time : "", date: x ? x.date : "",
      rrn: r.rrn, authCode: r.authCode, rc: r.rc, reversalPending: r.reversalPending,
      advicePending: kind === TxnKind.OFFLINE && state === TxnState.APPROVED && !r.uploaded,
      origInvoice: kind === TxnKind.VOID ? r.invoice : 0, slot: r.slot,
    };
  }

  function byStan(stan: number): JRec | null {
    var list = j.batchList();
    for (var i = list.length - 1; i >= 0; i--) if (list[i]!.stan === stan) return list[i]!;
    var rev = j.pendingReversal();
    return rev && rev.stan === stan ? rev : null;
  }

  function done(cb: Cb<TxnRecord>, slot: number, e: any): void {
    if (isErr(e)) { cb(jerr(e)); return; }
    var r = j.bySlot(slot);
    var t = r ? convert(r) : null;
    if (!t) cb({ code: "JOURNAL", message: "record " + slot + " unreadable" }); else cb(null, t);
  }

  /** boot: finish a "void approved, original voided" pair cut between its two commits, so
   *  the journal's own totals (X/Z reports) agree too */
  function repair(): void {
    if (j.state !== "ok") return;
    var list = j.batchList(), v = voidsIn(list);
    for (var i = 0; i < list.length; i++) {
      var r = list[i]!;
      if (r.kind !== Kind.Void && r.result === Result.Approved && !r.voided && !r.reversed && v[String(r.invoice)]) j.markVoided(r.slot);
    }
  }
  repair();

  var STAN_KIND: { [p: string]: number } = { ECHO: Kind.Echo, LOGON: Kind.Logon, ADVICE: Kind.Advice, UPLOAD: Kind.Upload, SETTLE: Kind.Settle };

  return {
    allocStan: function (purpose: StanPurpose, cb: Cb<number>) {
      var res = j.reserve(STAN_KIND[purpose]!, {});
      if (isErr(res)) cb(jerr(res)); else cb(null, res.stan);
    },
    begin: function (d: TxnRecord, cb: Cb<TxnRecord>) {
      var kind = d.kind === TxnKind.REFUND ? Kind.Refund : d.kind === TxnKind.VOID ? Kind.Void : Kind.Sale;
      var res = j.reserve(kind, { amount: d.amount, token: tokenBytes(d.token), last4: d.last4, origInvoice: d.kind === TxnKind.VOID ? d.origInvoice : undefined });
      if (isErr(res)) { cb(jerr(res)); return; }
      extra[res.slot] = { procCode: d.procCode, entryMode: d.entryMode, time: d.time, date: d.date };
      // an offline sale never leaves now: nothing to reverse
      var e = d.kind === TxnKind.OFFLINE ? j.clearReversal(res.slot, false) : null;
      if (isErr(e)) { cb(jerr(e)); return; }
      var r = j.bySlot(res.slot);
      var t = r ? convert(r) : null;
      if (!t) { cb({ code: "JOURNAL", message: "reserved record unreadable" }); return; }
      if (d.kind === TxnKind.OFFLINE) { t.kind = TxnKind.OFFLINE; t.state = TxnState.PENDING; }
      cb(null, t);
    },
    update: function (stan: number, c: Partial<TxnRecord>, cb: Cb<TxnRecord>) {
      var r = byStan(stan);
      if (!r) { cb({ code: "NOT_FOUND", message: "no record with STAN " + stan }); return; }
      var slot = r.slot, e: any = null;
      if (c.state === TxnState.NOT_SENT) e = j.markNotSent(slot);
      else if (c.state === TxnState.APPROVED) {
        e = j.markAnswered(slot, Result.Approved, c.rc || "00", c.authCode || "", c.rrn || "");
        if (!e && r.kind === Kind.Void) {
          // second commit; a cut before it is covered by stateOf() and repair()
          var orig = original(r.invoice);
          if (orig) e = j.markVoided(orig.slot);
        }
      } else if (c.state === TxnState.DECLINED) e = j.markAnswered(slot, Result.Declined, c.rc || "", "", "");
      else if (c.state === TxnState.REVERSED) e = j.clearReversal(slot, true);
      if (!e && c.advicePending === false) e = j.markUploaded(slot);
      done(cb, slot, e);
    },
    pendingReversal: function () {
      var r = j.pendingReversal();
      return r ? convert(r) : null;
    },
    pendingAdvices: function () {
      var out: TxnRecord[] = [], list = j.batchList(), v = voidsIn(list);
      for (var i = 0; i < list.length; i++) {
        var t = convert(list[i]!, v);
        if (t && t.advicePending) out.push(t);
      }
      return out;
    },
    findByInvoice: function (invoice: number) {
      var r = original(invoice);
      return r ? convert(r) : null;
    },
    batchRecords: function () {
      var out: TxnRecord[] = [], list = j.batchList(), v = voidsIn(list);
      for (var i = 0; i < list.length; i++) {
        var t = convert(list[i]!, v);
        if (t) out.push(t);
      }
      return out;
    },
    currentBatch: function () { return j.next().batch; },
    closeBatch: function (cb: Cb<number>) {
      var res = j.closeBatch();
      if (isErr(res)) cb(jerr(res)); else { extra = {}; cb(null, res); }
    },
  };
}
