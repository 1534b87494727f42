// Test-side views of a journal as arrays. The firmware's journal never collects its records
// (queries visit one at a time, so memory does not grow with the batch); tests and tools on
// Node may, to compare whole states.
import { Journal, JournalRecord, IX_CUR, IX_DOUBT } from "../../firmware/journal/journal";

function list(j: Journal, flags: number): JournalRecord[] {
  const out: JournalRecord[] = [];
  j.each(flags, (slot) => { out.push(j.bySlot(slot)!); return false; });
  return out;
}

/** every retained transaction record, oldest first */
export function allRecords(j: Journal): JournalRecord[] { return list(j, 0); }
/** the open batch's records, oldest first */
export function batchList(j: Journal): JournalRecord[] { return list(j, IX_CUR); }
/** committed records whose acknowledgement is missing, oldest first */
export function inDoubtList(j: Journal): JournalRecord[] { return list(j, IX_DOUBT); }
