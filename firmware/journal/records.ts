// Decoding frames into transaction records, and the rules that derive a record's status
// (pending reversal, in doubt) from its state bytes and answer. Pure: works on sector bytes.
import * as F from "./format";
import { St } from "./format";
import { Kind, Result, Brand } from "../txn";
// local names: one lookup at load instead of one per call on hot paths
var rOff = F.rOff;
var aOff = F.aOff;
var validR = F.validR;
var getNib = F.getNib;
var decodeAnswer = F.decodeAnswer;
var getStan = F.getStan;
var getInv = F.getInv;
var getBatch = F.getBatch;
var getU32 = F.getU32;
var unpackLast4 = F.unpackLast4;

/** A transaction frame as the journal reads it back: the numbers, what it keeps of the card,
 *  the answer and every state byte (the rules below work on them). The engine's stores turn it
 *  into the one TxnRecord of firmware/txn.ts (firmware/host/journal-store.ts). */
export interface JournalRecord {
  slot: number; kind: Kind; stan: number; invoice: number; batch: number;
  amount: number; token: Uint8Array; last4: string;
  /** when it was reserved: seconds since 2020-01-01 (acquirer local time); -1 unknown (clock
   *  not trusted then, or a format 1 frame) */
  time: number;
  /** DE 22 ("" when not recorded) and card type (from the answer; Unknown until answered) */
  entryMode: string; brand: Brand;
  sent: boolean; printed: boolean; voided: boolean; uploaded: boolean;
  result: Result; rc: string; authCode: string; rrn: string;
  reversalSet: boolean; reversalCleared: boolean; reversed: boolean;
  reversalPending: boolean;
  /** the answer's RRN is in an extension frame, the one whose RRN has this CRC-32 */
  rrnExt?: boolean;
  rrnHash?: number;
}

export function isReversible(kind: number): boolean { return kind === Kind.Sale || kind === Kind.Refund || kind === Kind.Void; }
export function isFinancial(kind: number): boolean { return kind === Kind.Sale || kind === Kind.Refund; }

function setState(rec: JournalRecord, b: Uint8Array, rAt: number): void {
  if (b[rAt + St.Sent] !== 255) rec.sent = true;
  if (b[rAt + St.Printed] !== 255) rec.printed = true;
  if (b[rAt + St.Voided] !== 255) rec.voided = true;
  if (b[rAt + St.Uploaded] !== 255) rec.uploaded = true;
  if (b[rAt + St.RevSet] !== 255) rec.reversalSet = true;
  if (b[rAt + St.RevCleared] !== 255) rec.reversalCleared = true;
  if (b[rAt + St.Reversed] !== 255) rec.reversed = true;
}

function setAnswer(rec: JournalRecord, a: F.Answer | null): void {
  if (!a || rec.result) return;
  rec.result = a.result; rec.rc = a.rc; rec.authCode = a.authCode; rec.rrn = a.rrn; rec.brand = a.brand || Brand.Unknown;
  rec.rrnExt = a.rrnHash !== undefined;
  rec.rrnHash = a.rrnHash;
}

/** the pending-reversal rule (pos-domain 1.4): a reversible request is pending from its
 *  commit until a valid answer, a "not sent", or a completed reversal clears it */
export function derive(rec: JournalRecord): void {
  rec.reversalPending = isReversible(rec.kind) && !rec.reversed && !rec.reversalCleared &&
    (rec.reversalSet || rec.result === Result.None || rec.result === Result.ApprovedInvalid);
}

/** committed records whose acknowledgement is missing (I6) */
export function inDoubt(rec: JournalRecord): boolean {
  if (rec.reversalPending) return true;
  if (isFinancial(rec.kind) || rec.kind === Kind.Void) {
    return rec.result === Result.Approved && !rec.printed && !rec.voided && !rec.reversed;
  }
  return rec.result === Result.None && !rec.reversalCleared && !rec.reversed;
}

/** an offline approval ("Y1" approval code, no RRN) whose 0220 advice is not delivered yet */
export var OFFLINE_AUTH_PREFIX = "Y1";
export function advicePending(rec: JournalRecord): boolean {
  return rec.kind === Kind.Sale && rec.result === Result.Approved && rec.rrn === "" && !rec.uploaded &&
    rec.authCode.substr(0, 2) === OFFLINE_AUTH_PREFIX;
}

/** Index flags, one byte per slot (journal.ts): the frame's kind in the low nibble, then what
 *  queries look for, so they visit only the frames they need and decode one at a time. */
export var IX_CUR = 16;    // a record or update of the open batch
export var IX_PEND = 32;   // a reversal is pending
export var IX_DOUBT = 64;  // committed, acknowledgement missing (inDoubt)
export var IX_ADV = 128;   // an offline approval whose advice is pending
/** the index byte of a decoded record */
export function flagsOf(rec: JournalRecord, batch: number): number {
  return rec.kind | (rec.batch === batch ? IX_CUR : 0) | (rec.reversalPending ? IX_PEND : 0) |
    (inDoubt(rec) ? IX_DOUBT : 0) | (advicePending(rec) ? IX_ADV : 0);
}

/** decodes one transaction frame (R at r, A at a in b) of a sector in format `fmt`, null if it
 *  is not a valid record; state and answer are its own (fold updates in with applyUpdate, then
 *  derive) */
export function parseRecord(b: Uint8Array, r: number, a: number, slot: number, crc: F.Crc32, fmt: number): JournalRecord | null {
  if (b[r] === 255 && b[r + 1] === 255) return null;
  if (!validR(b, r, crc)) return null;
  var kind = getNib(b, r);
  if (kind === Kind.BatchClose || kind === Kind.Update) return null;
  var card = b[r + 12]! | (b[r + 13]! << 8), timed = fmt >= 2, t = timed ? getU32(b, r + 18) : F.NO_TIME;
  var rec: JournalRecord = {
    slot: slot, kind: kind, stan: getStan(b, r), invoice: getInv(b, r), batch: getBatch(b, r),
    amount: getU32(b, r + 8), token: new Uint8Array(b.subarray(r + 14, r + (timed ? 18 : 22))), time: t === F.NO_TIME ? -1 : t,
    last4: unpackLast4(card), entryMode: F.unpackEntry(card), brand: Brand.Unknown,
    sent: false, printed: false, voided: false, uploaded: false,
    result: Result.None, rc: "", authCode: "", rrn: "",
    reversalSet: false, reversalCleared: false, reversed: false, reversalPending: false, rrnExt: false,
  };
  setState(rec, b, r);
  setAnswer(rec, decodeAnswer(b, r, b, a, crc));
  return rec;
}

/** true when frame bytes b (R at 0, A at R_SIZE) are a valid update of rec */
export function updates(b: Uint8Array, rec: JournalRecord, crc: F.Crc32): boolean {
  return validR(b, 0, crc) && getNib(b, 0) === Kind.Update && getU32(b, 8) === rec.slot && getStan(b, 0) === rec.stan;
}

/** folds an update frame (R at 0, A at R_SIZE) into its record: state bytes and answer */
export function applyUpdate(rec: JournalRecord, b: Uint8Array, crc: F.Crc32): void {
  setState(rec, b, 0);
  setAnswer(rec, decodeAnswer(b, 0, b, F.R_SIZE, crc));
}

/** fills in a non-numeric RRN from its extension frame (written before the answer) */
export function applyRrnExt(rec: JournalRecord, b: Uint8Array, crc: F.Crc32): void {
  var rrn = F.decodeRrnExt(b, 12);
  if (rrn !== null && rec.rrnExt && rec.rrn === "" && F.rrnHash(rrn, crc) === rec.rrnHash) rec.rrn = rrn;
}
