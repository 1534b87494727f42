// One transaction vocabulary, from the journal to the paper. Every layer names a transaction
// with these: the journal (firmware/journal: frame kinds, answer results, entry and card type
// as stored), the host engine and its stores (firmware/host: TxnRecord), the app's ports and
// adapters (firmware/app), the reports and the receipts (firmware/receipt).
//
// There is ONE conversion: firmware/host/journal-store.ts turns a decoded journal frame
// (firmware/journal/records.ts JournalRecord: the raw state bytes the power-cut rules work on)
// into a TxnRecord. From there on the same object travels: the engine hands it to the app
// (with its outcome), the app prints it, a reprint prints the same fields read back.
// Types cost nothing at run time; enums are const enums (inlined by the compiler).

/** What a journal frame is (low nibble of its first byte): the transactions 1-3, the other
 *  messages that take a STAN, then the journal's own frames. 0 and 15 never occur. */
export const enum Kind { Sale = 1, Refund = 2, Void = 3, Settle = 4, Logon = 5, Echo = 6, Advice = 7, Upload = 8, Update = 9, BatchClose = 10 }

/** The host's answer as journaled (low bits of the answer's first byte). ApprovedInvalid:
 *  approved, but the reply was unusable (MAC, amount): the reversal stays pending. */
export const enum Result { None = 0, Approved = 1, Declined = 2, ApprovedInvalid = 3 }

/** What a transaction is, as the engine, the app and the paper name it (the values are what
 *  a receipt and a report print, OFFLINE printed as SALE). */
export const enum TxnKind {
  SALE = "SALE",
  REFUND = "REFUND",
  VOID = "VOID",
  /** a sale approved offline (below the floor limit), sent later as a 0220 advice */
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

/** POS entry mode (DE 22) as this terminal sends it, journals it (firmware/journal/format.ts
 *  packs it into 2 bits) and prints it (SWIPE, TAP, MANUAL). "" when not known. */
export const enum EntryMode { Swipe = "021", Tap = "071", Keyed = "012" }

/** Card type (scheme), from the PAN's leading digits (brandOf). The journal keeps it in 4 bits
 *  (inverted on flash, so erased bits read Unknown); receipts print its name (brandName). */
export const enum Brand { Unknown = 0, Visa = 1, Mastercard = 2, Amex = 3, Discover = 4, Jcb = 5, Diners = 6, UnionPay = 7 }

/** A card as read, for ONE request: RAM only, never journaled, never logged. The reader's
 *  adapter fills it; the engine uses pan/track2/expiry/icc for DE 2/14/35/55 and keeps only
 *  entryMode and brand (with the app's token and last four) in the record. */
export interface CardData {
  pan?: string;
  /** track 2 equivalent, separator '=' or 'D' (no sentinels) */
  track2?: string;
  /** YYMM */
  expiry?: string;
  /** DE 22 (EntryMode) */
  entryMode: string;
  /** card type from the PAN (brandOf); Unknown when absent */
  brand?: Brand;
  /** DE 55 ICC data (BER-TLV), optional */
  icc?: Uint8Array;
}

/** One financial transaction (sale, refund, void, offline sale): what the journal keeps of it,
 *  plus what the record in flight still has in RAM (DE 3/12/13). Never the PAN, never track
 *  data. The engine's stores hand out fresh copies: a caller may keep or change its copy. */
export interface TxnRecord {
  /** the store's own handle (journal slot), -1 when it has none */
  slot: number;
  kind: TxnKind;
  state: TxnState;
  stan: number;
  invoice: number;
  batch: number;
  /** integer minor units */
  amount: number;
  /** the card: DE 22 entry mode ("" when not known), card type, last four digits and the
   *  keyed token of the PAN (hex; the journal keeps its first 8 bytes) */
  entryMode: string;
  brand: Brand;
  last4: string;
  token: string;
  /** as sent in DE 13 / DE 12: "MMDD", "hhmmss"; "" when the clock was not trusted (rebuilt
   *  from `at` once the record is no longer in flight) */
  date: string;
  time: string;
  /** when it was made, as the journal keeps it: seconds since 2020-01-01 in the acquirer's
   *  local time (firmware/clock.ts); -1 or absent: unknown (the clock was not trusted) */
  when?: number;
  /** DE 3 */
  procCode: string;
  /** DE 39, 38, 37 of the answer ("" until answered) */
  rc: string;
  authCode: string;
  rrn: string;
  /** a 0400 must be sent (same STAN) before any other host message */
  reversalPending: boolean;
  /** OFFLINE: the 0220 advice has not been acknowledged yet */
  advicePending: boolean;
  /** VOID: the invoice of the transaction it cancels (0 otherwise) */
  origInvoice: number;
}

/** counts and integer minor-unit amounts of approved transactions; voids count the voided
 *  sales and refunds (which are left out of sales and refunds). Settlement (DE 63) sends
 *  sales and refunds. */
export interface Totals {
  saleCount: number; saleAmount: number;
  refundCount: number; refundAmount: number;
  voidCount: number; voidAmount: number;
}

/** how a settlement ended: approved = the host accepted the totals and the batch is closed */
export interface SettleResult {
  approved: boolean;
  /** APPROVED, DECLINED, NO_RESPONSE, NOT_SENT, REVERSAL_PENDING, ADVICE_PENDING ... ("" on a journal error) */
  outcome: string;
  /** DE 39 of the last answer ("" when none) */
  rc: string;
  batch: number;
  /** records sent in a batch upload (after RC 95) */
  uploaded: number;
  totals: Totals;
}

/** the card type of a PAN (or of a track 2, which starts with it) from its leading digits */
export function brandOf(pan: string): Brand {
  var p2 = parseInt(pan.substr(0, 2), 10), p3 = parseInt(pan.substr(0, 3), 10), p4 = parseInt(pan.substr(0, 4), 10);
  if (pan.charAt(0) === "4") return Brand.Visa;
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return Brand.Mastercard;
  if (p2 === 34 || p2 === 37) return Brand.Amex;
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649)) return Brand.Discover;
  if (p4 >= 3528 && p4 <= 3589) return Brand.Jcb;
  if (p2 === 36 || p2 === 38 || p2 === 39 || (p3 >= 300 && p3 <= 305)) return Brand.Diners;
  if (p2 === 62) return Brand.UnionPay;
  return Brand.Unknown;
}
