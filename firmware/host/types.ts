// Shared types of the host link: the engine API the app calls, and the narrow persistence
// port (HostStore) the engine needs from the journal. Documented in docs/host-protocol.md.
// The transaction itself (TxnRecord, CardData, kinds, states) is firmware/txn.ts's.
import { CardData, TxnRecord } from "../txn";

/** A sale or refund request from the app. */
export interface PaymentRequest {
  /** minor units, integer, > 0 */
  amount: number;
  card: CardData;
  /** keyed token of the PAN (computed by the app) and its last four: what the journal keeps */
  token: string;
  last4: string;
}

/** How an exchange with the host ended, as the app shows it. */
export const enum Outcome {
  APPROVED = "APPROVED",
  DECLINED = "DECLINED",
  /** nothing left the terminal; safe to retry */
  NOT_SENT = "NOT_SENT",
  /** request may have reached the host: a reversal is pending */
  NO_RESPONSE = "NO_RESPONSE",
  /** a reply came but was unusable (garbled, mismatched, approved-but-invalid, unknown RC) */
  BAD_RESPONSE = "BAD_RESPONSE",
  /** a pending reversal (or advice flush) could not be delivered, so this request was not sent */
  REVERSAL_PENDING = "REVERSAL_PENDING",
}

/** A transaction as the engine answers it: the record itself (the store's copy, not another
 *  object) with how the exchange ended. */
export interface TxnResult extends TxnRecord {
  approved: boolean;
  outcome: Outcome;
}

export type Cb<T> = (err: HostError | null, value?: T) => void;

export interface HostError { code: string; message: string; }

export type StanPurpose = "ECHO" | "LOGON" | "ADVICE" | "UPLOAD" | "SETTLE";

/** What the engine needs from the journal. Every mutating call is one atomic commit; the
 *  callback runs after the data is durable. Numbers (STAN, invoice, batch) come only from
 *  here. firmware/host/journal-store.ts adapts firmware/journal to this port. */
export interface HostStore {
  /** Allocate and persist the next STAN (1..999999, wraps, never 0) for a non-financial
   *  message (echo, logon, advice, upload, settlement). */
  allocStan(purpose: StanPurpose, cb: Cb<number>): void;
  /** One commit: allocate STAN + invoice, write the record in state PENDING with
   *  reversalPending = (kind != OFFLINE), advicePending = (kind == OFFLINE). The fields
   *  stan, invoice, batch of `draft` are ignored and filled in. */
  begin(draft: TxnRecord, cb: Cb<TxnRecord>): void;
  /** One commit: change a record (found by STAN in the open batch). For an approved VOID the
   *  store also marks the original (origInvoice) VOIDED in the same commit. */
  update(stan: number, change: Partial<TxnRecord>, cb: Cb<TxnRecord>): void;
  /** the record with reversalPending, if any (at most one) */
  pendingReversal(): TxnRecord | null;
  /** the oldest record with advicePending, and how many there are */
  nextAdvice(): TxnRecord | null;
  adviceCount(): number;
  /** the sale or refund with that invoice in the open batch; anyBatch: else in the closed
   *  batches the store still keeps (reprints), newest first */
  findByInvoice(invoice: number, anyBatch?: boolean): TxnRecord | null;
  /** Visits the open batch's records, oldest first (newest first when backwards), one at a
   *  time: nothing is collected, so memory does not grow with the batch. Stops when fn
   *  returns true. */
  eachRecord(fn: (r: TxnRecord) => boolean | void, backwards?: boolean): void;
  /** the open batch's record after the one with this slot, oldest first (-1: the first), for
   *  walks that wait on the host between records (batch upload) */
  recordAfter(slot: number): TxnRecord | null;
  currentBatch(): number;
  /** One commit: close the open batch, batch number + 1. */
  closeBatch(cb: Cb<number>): void;
}

/** Settings the engine reads (from the settings region). */
export interface HostSettings {
  tid: string;
  mid: string;
  /** 3 digits */
  nii: string;
  /** offline floor limit in minor units (0 = never offline) */
  floorLimit?: number;
}

/** Platform services, injected (deterministic in tests). */
export interface EngineIo {
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
  /** local date and time for DE 12/13: { date: "MMDD", time: "hhmmss" } ("" when the clock is
   *  not trusted: the request then goes without them), and `when`, the time the journal keeps
   *  (seconds since 2020-01-01; -1 or absent: unknown) */
  now(): { date: string; time: string; when?: number };
  /** the host's clock: DE 13 and DE 12 of an answer to a request that carried none (firmware/clock.ts) */
  hostTime?(de13: string, de12: string): void;
}
