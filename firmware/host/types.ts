// Shared types of the host link: the engine API the app calls, and the narrow persistence
// port (HostStore) the engine needs from the journal. Documented in docs/host-protocol.md.

/** Card data of ONE online request. RAM only: used for DE 2/14/35, then dropped. */
export interface CardData {
  pan?: string;
  /** track 2 equivalent, separator '=' or 'D' (no sentinels) */
  track2?: string;
  /** YYMM */
  expiry?: string;
  /** DE 22, e.g. "021" swipe, "071" contactless */
  entryMode: string;
  /** DE 55 ICC data (BER-TLV), optional */
  icc?: Uint8Array;
}

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

export interface TxnResult {
  approved: boolean;
  outcome: Outcome;
  /** DE 39 ("" when no usable reply) */
  rc: string;
  authCode: string;
  rrn: string;
  stan: number;
  invoice: number;
  batch: number;
  amount: number;
  kind: TxnKind;
  last4: string;
  /** "hhmmss" and "MMDD" sent in DE 12/13 */
  time: string;
  date: string;
  /** true when the journal still holds a reversal for this transaction */
  reversalPending: boolean;
  /** journal slot of the record (for journal.markPrinted), -1 when the store has none */
  slot: number;
}

export const enum TxnKind {
  SALE = "SALE",
  REFUND = "REFUND",
  VOID = "VOID",
  /** offline sale, sent later as a 0220 advice */
  OFFLINE = "OFFLINE",
}

export const enum TxnState {
  /** record written, reversal armed, request about to leave (or left, no answer yet) */
  PENDING = "PENDING",
  APPROVED = "APPROVED",
  DECLINED = "DECLINED",
  /** never left the terminal */
  NOT_SENT = "NOT_SENT",
  REVERSED = "REVERSED",
  /** an approved sale/refund cancelled by an approved void */
  VOIDED = "VOIDED",
}

/** One journal record per financial transaction (never the PAN, never track data). */
export interface TxnRecord {
  stan: number;
  invoice: number;
  batch: number;
  kind: TxnKind;
  state: TxnState;
  amount: number;
  /** DE 3 */
  procCode: string;
  /** DE 22 */
  entryMode: string;
  token: string;
  last4: string;
  time: string;
  date: string;
  rrn: string;
  authCode: string;
  rc: string;
  /** a 0400 must be sent (same STAN) before any other host message */
  reversalPending: boolean;
  /** OFFLINE: the 0220 advice has not been acknowledged yet */
  advicePending: boolean;
  /** VOID: the invoice of the transaction it cancels */
  origInvoice: number;
  /** the store's own handle (journal slot), -1 when it has none */
  slot: number;
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
  findByInvoice(invoice: number): TxnRecord | null;
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
  /** local date and time for DE 12/13: { date: "MMDD", time: "hhmmss" } */
  now(): { date: string; time: string };
}
