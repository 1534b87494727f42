// A HostStore in RAM: the reference semantics of the journal port (firmware/host/types.ts),
// for tests, and the training mode's store (firmware/app/training.ts: its own numbers, never
// the journal's). `beforeCommit` lets a test cut the power at any commit: return false and
// the commit is neither applied nor answered. Only createMemoryStore is top level: it is in
// the bundle for training, and a top-level function costs RAM for the terminal's life.
import { Cb, HostStore, StanPurpose } from "./types";
import { TxnKind, TxnRecord, TxnState } from "../txn";

export interface MemoryStoreState {
  stan: number;    // last STAN issued (0 = none yet)
  invoice: number; // last invoice issued
  batch: number;   // open batch number
  records: TxnRecord[];
}

export interface MemoryStore extends HostStore {
  state: MemoryStoreState;
  /** called with the operation name before each commit; false = power cut (nothing happens) */
  beforeCommit: (op: string) => boolean;
}

export function createMemoryStore(initial?: MemoryStoreState): MemoryStore {
  var st: MemoryStoreState = initial || { stan: 0, invoice: 0, batch: 1, records: [] };
  function copy(r: TxnRecord): TxnRecord {
    var c: any = {};
    for (var k in r) c[k] = (r as any)[k];
    return c as TxnRecord;
  }
  /** 1..999999, wraps to 1, never 0 */
  function nextSerial(n: number): number { return n >= 999999 ? 1 : n + 1; }

  var nextSlot = 0; // slots are never reused: they name records across a batch close
  for (var n = 0; n < st.records.length; n++) if (st.records[n]!.slot >= nextSlot) nextSlot = st.records[n]!.slot + 1;
  function advice(r: TxnRecord): boolean { return r.advicePending && r.state === TxnState.APPROVED; }

  function find(stan: number): TxnRecord | null {
    for (var i = st.records.length - 1; i >= 0; i--) if (st.records[i]!.stan === stan) return st.records[i]!;
    return null;
  }

  var self: MemoryStore = {
    state: st,
    beforeCommit: function () { return true; },
    allocStan: function (_purpose: StanPurpose, cb: Cb<number>) {
      if (!self.beforeCommit("allocStan")) return;
      st.stan = nextSerial(st.stan);
      cb(null, st.stan);
    },
    begin: function (draft: TxnRecord, cb: Cb<TxnRecord>) {
      if (!self.beforeCommit("begin")) return;
      var r = copy(draft);
      st.stan = nextSerial(st.stan);
      r.stan = st.stan;
      if (r.kind === TxnKind.VOID) r.invoice = r.origInvoice;
      else { st.invoice = nextSerial(st.invoice); r.invoice = st.invoice; }
      r.batch = st.batch;
      r.slot = nextSlot++;
      r.state = TxnState.PENDING;
      r.reversalPending = r.kind !== TxnKind.OFFLINE;
      r.advicePending = r.kind === TxnKind.OFFLINE;
      st.records.push(r);
      cb(null, copy(r));
    },
    update: function (stan: number, change: Partial<TxnRecord>, cb: Cb<TxnRecord>) {
      var r = find(stan);
      if (!r) { cb({ code: "NOT_FOUND", message: "no record with STAN " + stan }); return; }
      if (!self.beforeCommit("update")) return;
      for (var k in change) (r as any)[k] = (change as any)[k];
      if (r.kind === TxnKind.VOID && change.state === TxnState.APPROVED) {
        for (var i = 0; i < st.records.length; i++) {
          var o = st.records[i]!;
          if (o.invoice === r.origInvoice && o.kind !== TxnKind.VOID && o.state === TxnState.APPROVED) o.state = TxnState.VOIDED;
        }
      }
      cb(null, copy(r));
    },
    pendingReversal: function () {
      for (var i = 0; i < st.records.length; i++) if (st.records[i]!.reversalPending) return copy(st.records[i]!);
      return null;
    },
    nextAdvice: function () {
      for (var i = 0; i < st.records.length; i++) if (advice(st.records[i]!)) return copy(st.records[i]!);
      return null;
    },
    adviceCount: function () {
      var n = 0;
      for (var i = 0; i < st.records.length; i++) if (advice(st.records[i]!)) n++;
      return n;
    },
    findByInvoice: function (invoice: number, anyBatch?: boolean) {
      // closed batches keep only what still needs the host (closeBatch)
      for (var i = st.records.length - 1; i >= 0; i--) {
        var r = st.records[i]!;
        if (r.invoice === invoice && r.kind !== TxnKind.VOID && (anyBatch || r.batch === st.batch)) return copy(r);
      }
      return null;
    },
    eachRecord: function (fn: (r: TxnRecord) => boolean | void, backwards?: boolean) {
      var n = st.records.length;
      for (var i = 0; i < n; i++) {
        var r = st.records[backwards ? n - 1 - i : i]!;
        if (r.batch === st.batch && fn(copy(r))) return;
      }
    },
    recordAfter: function (slot: number) {
      var passed = slot < 0;
      for (var i = 0; i < st.records.length; i++) {
        var r = st.records[i]!;
        if (passed && r.batch === st.batch) return copy(r);
        if (r.slot === slot) passed = true;
      }
      return null;
    },
    currentBatch: function () { return st.batch; },
    closeBatch: function (cb: Cb<number>) {
      if (!self.beforeCommit("closeBatch")) return;
      // keep records that still need the host (a pending reversal cannot exist here: settle clears it first)
      var keep: TxnRecord[] = [];
      for (var i = 0; i < st.records.length; i++) if (st.records[i]!.reversalPending || st.records[i]!.advicePending) keep.push(st.records[i]!);
      st.records.splice(0);
      for (var j = 0; j < keep.length; j++) st.records.push(keep[j]!);
      st.batch = nextSerial(st.batch);
      cb(null, st.batch);
    },
  };
  return self;
}
