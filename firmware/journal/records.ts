// Decoding frames into transaction records, and the rules that derive a record's status
// (pending reversal, in doubt) from its state bytes and answer. Pure: works on sector bytes.
import * as F from "./format";
import { Kind, Result, St } from "./format";
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

export interface TxnRecord {
  slot: number; kind: number; stan: number; invoice: number; batch: number;
  amount: number; token: Uint8Array; last4: string;
  sent: boolean; printed: boolean; voided: boolean; uploaded: boolean;
  result: number; rc: string; authCode: string; rrn: string;
  reversalSet: boolean; reversalCleared: boolean; reversed: boolean;
  reversalPending: boolean;
  /** the answer's RRN is in an extension frame, the one whose RRN has this CRC-32 */
  rrnExt?: boolean;
  rrnHash?: number;
}

/** Update frames (written when an in-place change could not be verified) */
export interface UpdateFrame { slot: number; target: number; stan: number; bytes: Uint8Array; rAt: number; aAt: number; rrn: string | null; }

export function isReversible(kind: number): boolean { return kind === Kind.Sale || kind === Kind.Refund || kind === Kind.Void; }
export function isFinancial(kind: number): boolean { return kind === Kind.Sale || kind === Kind.Refund; }

function setState(rec: TxnRecord, b: Uint8Array, rAt: number): void {
  if (b[rAt + St.Sent] !== 255) rec.sent = true;
  if (b[rAt + St.Printed] !== 255) rec.printed = true;
  if (b[rAt + St.Voided] !== 255) rec.voided = true;
  if (b[rAt + St.Uploaded] !== 255) rec.uploaded = true;
  if (b[rAt + St.RevSet] !== 255) rec.reversalSet = true;
  if (b[rAt + St.RevCleared] !== 255) rec.reversalCleared = true;
  if (b[rAt + St.Reversed] !== 255) rec.reversed = true;
}

function setAnswer(rec: TxnRecord, a: F.Answer | null): void {
  if (!a || rec.result) return;
  rec.result = a.result; rec.rc = a.rc; rec.authCode = a.authCode; rec.rrn = a.rrn;
  rec.rrnExt = a.rrnHash !== undefined;
  rec.rrnHash = a.rrnHash;
}

/** the pending-reversal rule (pos-domain 1.4): a reversible request is pending from its
 *  commit until a valid answer, a "not sent", or a completed reversal clears it */
export function derive(rec: TxnRecord): void {
  rec.reversalPending = isReversible(rec.kind) && !rec.reversed && !rec.reversalCleared &&
    (rec.reversalSet || rec.result === Result.None || rec.result === Result.ApprovedInvalid);
}

/** committed records whose acknowledgement is missing (I6) */
export function inDoubt(rec: TxnRecord): boolean {
  if (rec.reversalPending) return true;
  if (isFinancial(rec.kind) || rec.kind === Kind.Void) {
    return rec.result === Result.Approved && !rec.printed && !rec.voided && !rec.reversed;
  }
  return rec.result === Result.None && !rec.reversalCleared && !rec.reversed;
}

/** decodes the valid transaction frames of a sector (bytes of the whole sector) */
export function parseSector(b: Uint8Array, sector: number, fps: number, crc: F.Crc32,
  out: TxnRecord[], updates: UpdateFrame[] | null): void {
  for (var f = 0; f < fps; f++) {
    var r = rOff(f), a = aOff(f);
    if (b[r] === 255 && b[r + 1] === 255) continue;
    if (!validR(b, r, crc)) continue;
    var kind = getNib(b, r);
    if (kind === Kind.BatchClose) continue;
    if (kind === Kind.Update) {
      if (updates) updates.push({ slot: sector * fps + f, target: getU32(b, r + 8), stan: getStan(b, r), bytes: b, rAt: r, aAt: a, rrn: F.decodeRrnExt(b, r + 12) });
      continue;
    }
    var rec: TxnRecord = {
      slot: sector * fps + f, kind: kind, stan: getStan(b, r), invoice: getInv(b, r), batch: getBatch(b, r),
      amount: getU32(b, r + 8), token: new Uint8Array(b.subarray(r + 14, r + 22)),
      last4: unpackLast4(b[r + 12]! | ((b[r + 13]! & 0x3F) << 8)),
      sent: false, printed: false, voided: false, uploaded: false,
      result: 0, rc: "", authCode: "", rrn: "",
      reversalSet: false, reversalCleared: false, reversed: false, reversalPending: false, rrnExt: false,
    };
    setState(rec, b, r);
    setAnswer(rec, decodeAnswer(b, r, b, a, crc));
    out.push(rec);
  }
}

/** folds update frames into their targets, then derives statuses */
export function applyUpdates(recs: TxnRecord[], updates: UpdateFrame[], crc: F.Crc32): void {
  for (var i = 0; i < updates.length; i++) {
    var u = updates[i]!;
    for (var j = 0; j < recs.length; j++) {
      var rec = recs[j]!;
      if (rec.slot !== u.target || rec.stan !== u.stan) continue;
      setState(rec, u.bytes, u.rAt);
      setAnswer(rec, decodeAnswer(u.bytes, u.rAt, u.bytes, u.aAt, crc));
    }
  }
  // RRN extensions (written before their answer): fill in the non-numeric RRNs
  for (var x = 0; x < updates.length; x++) {
    var e = updates[x]!;
    if (e.rrn === null) continue;
    for (var y = 0; y < recs.length; y++) {
      var t = recs[y]!;
      if (t.slot === e.target && t.stan === e.stan && t.rrnExt && t.rrn === "" && F.rrnHash(e.rrn, crc) === t.rrnHash) t.rrn = e.rrn;
    }
  }
  for (var k = 0; k < recs.length; k++) derive(recs[k]!);
}
