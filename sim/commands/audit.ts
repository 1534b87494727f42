// pos-sim audit <image.bin>: verifies the audit trail's hash chain in a flash dump, written
// from docs/audit.md with node:crypto (not the firmware's code, so the two cross-check).
// Exit 0: the chain is intact (a torn newest entry, cut by a power loss, is reported and
// allowed); 1: broken or truncated, with the sector, slot and seq where and why; 2: bad usage
// or an unreadable file.
import * as fs from "fs";
import { createHash } from "crypto";
import { cliArgs } from "../cli-args";
import { readBoard } from "../harness";

export const summary = "verify the audit trail's hash chain in a flash dump (<image.bin> [--board B] [--list])";

const HELP = `usage: pos-sim audit [--board B] [--list] <image.bin>
Verifies the audit trail (docs/audit.md) in a flash dump of board B (default pos-esp32-v1): the
audit region alone (flashRegions.audit, 3 x 4 KiB), the board's raw flash partition as
\`pos-sim run --flash-out\` writes it (64 KiB at 0x310000), or a whole 4 MiB flash dump.
--list prints every entry. Exit 0 chain intact, 1 broken or truncated (where and why), 2 bad
usage or unreadable file.`;

const SLOT = 32, CHAIN = 12, BODY = 20, MAGIC = "AUD\u0001";
const EVENTS = ["?", "BOOT", "CUT-RECOVERED", "JOURNAL-FAULT", "JOURNAL-RECOVERED", "ACCESS-OK", "ACCESS-FAILED",
  "ACCESS-LOCKOUT", "VOID", "REFUND", "REPRINT", "SETTLEMENT", "Z-REPORT", "SETTINGS", "UPDATE-STAGED", "UPDATE-APPLIED",
  "ROLLBACK", "LOW-MEMORY", "TRAINING-ON", "TRAINING-OFF", "ACCESS-REFUSED"];
const ROLES = ["system", "cashier", "supervisor", "technician"];

export interface AuditEntry { seq: number; event: number; role: number; burns: number; a: number; b: number; time: number; sector: number; slot: number; }
export interface AuditProblem { sector: number; slot: number; seq: number; why: string; }
export interface AuditReport {
  /** intact: the chain holds; empty: no sector in use; broken: an entry or sector does not
   *  chain; truncated: the newest slots were zeroed and nothing declares it */
  status: "intact" | "empty" | "broken" | "truncated";
  entries: AuditEntry[];
  problems: AuditProblem[];
  notes: string[];
  /** the newest entry's chain (hex), the anchor to note down */
  head: string;
}

function u32(b: Uint8Array, o: number): number { return (b[o]! | b[o + 1]! << 8 | b[o + 2]! << 16 | b[o + 3]! << 24) >>> 0; }
function sha(...parts: Uint8Array[]): Uint8Array {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}
function same(a: Uint8Array, b: Uint8Array): boolean { return a.length === b.length && a.every((v, i) => v === b[i]); }
function all(b: Uint8Array, v: number): boolean { return b.every((x) => x === v); }
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** Verifies an audit region's bytes (sectors of `sectorSize`). */
export function verifyAudit(region: Uint8Array, sectorSize = 4096): AuditReport {
  const rep: AuditReport = { status: "intact", entries: [], problems: [], notes: [], head: "" };
  const n = Math.floor(region.length / sectorSize), slots = sectorSize / SLOT;
  const sectors: { s: number; seq: number; erases: number; first: number; prev: Uint8Array }[] = [];
  for (let s = 0; s < n; s++) {
    const h = region.subarray(s * sectorSize, s * sectorSize + SLOT);
    const ok = Buffer.from(h.subarray(0, 4)).toString("latin1") === MAGIC && same(sha(new Uint8Array(CHAIN), h.subarray(0, 28)).subarray(0, 4), h.subarray(28, 32));
    if (ok) sectors.push({ s, seq: u32(h, 4), erases: u32(h, 8), first: u32(h, 12), prev: h.slice(16, 28) });
    else if (all(region.subarray(s * sectorSize, (s + 1) * sectorSize), 255)) rep.notes.push(`sector ${s}: erased (not in use yet)`);
    else rep.notes.push(`sector ${s}: no valid header (an erase or format cut by a power loss, or damaged): not part of the chain`);
  }
  if (!sectors.length) { rep.status = "empty"; rep.notes.push("no sector in use: the log is empty"); return rep; }
  sectors.sort((x, y) => x.seq - y.seq);
  const problem = (sector: number, slot: number, seq: number, why: string) => { rep.problems.push({ sector, slot, seq, why }); };
  let prev = sectors[0]!.prev, expect = sectors[0]!.first, burns = 0;
  rep.notes.push(`chain starts at seq ${expect} (sector ${sectors[0]!.s})` + (expect === 1 && all(prev, 0) ? ": the log's first entry" : ": older entries rotated out"));
  for (let k = 0; k < sectors.length; k++) {
    const sec = sectors[k]!, base = sec.s * sectorSize;
    rep.notes.push(`sector ${sec.s}: sector seq ${sec.seq}, ${sec.erases} erases, first entry ${sec.first}`);
    if (k > 0) {
      if (sec.seq !== sectors[k - 1]!.seq + 1) problem(sec.s, 0, expect, `sector seq ${sec.seq} follows ${sectors[k - 1]!.seq}: a sector between them is missing`);
      else if (sec.first !== expect || !same(sec.prev, prev)) {
        problem(sec.s, 0, expect, `header says the chain continues from seq ${sec.first - 1} (${hex(sec.prev)}) but the previous sector ends at seq ${expect - 1} (${hex(prev)}): entries removed, or sectors reordered`);
      }
      prev = sec.prev; expect = sec.first; burns = 0;
    }
    const newest = k === sectors.length - 1;
    let lastUsed = 0;
    for (let i = 1; i < slots; i++) if (!all(region.subarray(base + i * SLOT, base + (i + 1) * SLOT), 255)) lastUsed = i;
    let gap = false;
    for (let i = 1; i <= lastUsed; i++) {
      const e = region.subarray(base + i * SLOT, base + (i + 1) * SLOT);
      if (all(e, 255)) { gap = true; continue; }
      if (gap) { problem(sec.s, i, expect, "an erased slot lies inside the log (entries after it were written later)"); gap = false; }
      if (all(e, 0)) { burns++; continue; }
      const seq = u32(e, 0), chain = sha(prev, e.subarray(0, BODY)).subarray(0, CHAIN);
      const chained = same(chain, e.subarray(BODY, SLOT));
      if (!chained && newest && i === lastUsed) {
        rep.notes.push(`sector ${sec.s} slot ${i}: the newest entry is torn (a power cut during its write); the chain before it holds`);
        continue;
      }
      if (!chained) problem(sec.s, i, seq, `entry does not chain from seq ${expect - 1}: altered, inserted or reordered, or the entry before it was removed`);
      else if (seq !== expect) problem(sec.s, i, seq, `seq ${seq} where ${expect} was expected`);
      else if (e[6] !== Math.min(burns, 255)) problem(sec.s, i, seq, `${burns} zeroed slot(s) before it but the entry declares ${e[6]}: an entry was removed`);
      rep.entries.push({ seq, event: e[4]!, role: e[5]!, burns: e[6]!, a: u32(e, 8), b: u32(e, 12), time: u32(e, 16), sector: sec.s, slot: i });
      prev = e.slice(BODY, SLOT); expect = seq + 1; burns = 0; // resynchronise on it: later breaks are reported too
    }
    if (newest && burns) {
      rep.status = "truncated";
      problem(sec.s, lastUsed, expect, `${burns} zeroed slot(s) after seq ${expect - 1} and no entry declares them: the newest entries were removed, or power was lost before the next entry`);
    }
  }
  if (rep.problems.length && rep.status === "intact") rep.status = "broken";
  rep.head = `${expect - 1}:${hex(prev)}`;
  return rep;
}

export function describeEntry(e: AuditEntry): string {
  const t = e.time === 0xffffffff ? "time unknown" : new Date(e.time * 1000).toISOString().replace(".000Z", "Z");
  return `${String(e.seq).padStart(6)} ${(EVENTS[e.event] ?? "EVENT-" + e.event).padEnd(17)} ${(ROLES[e.role] ?? "role-" + e.role).padEnd(10)} a=${e.a} b=${e.b} ${t}`;
}

/** the audit region inside a dump: the region alone, the raw flash partition, or 4 MiB */
export function regionOf(bytes: Uint8Array, board: string): { region: Uint8Array; sectorSize: number; what: string } | string {
  const b = readBoard(board);
  const r = b.flashRegions && b.flashRegions.audit;
  if (!r) return `board ${board} has no audit region`;
  const size = r.sectors * r.sectorSize, part = b.partitions.flash;
  if (bytes.length === size) return { region: bytes, sectorSize: r.sectorSize, what: "audit region" };
  if (bytes.length === part.size && r.base >= part.base && r.base + size <= part.base + part.size) {
    return { region: bytes.subarray(r.base - part.base, r.base - part.base + size), sectorSize: r.sectorSize, what: `raw flash partition at 0x${part.base.toString(16)}` };
  }
  if (bytes.length === 4 * 1024 * 1024) return { region: bytes.subarray(r.base, r.base + size), sectorSize: r.sectorSize, what: "4 MiB flash dump" };
  return `${bytes.length} bytes is not an audit image of ${board}: expected ${size} (the audit region), ${part.size} (the raw flash partition at 0x${part.base.toString(16)}) or 4194304 (the whole flash)`;
}

export function run(args: string[]): number {
  const p = cliArgs("pos-sim audit", args, { board: { type: "string" }, list: { type: "boolean" } }, HELP, { min: 1, max: 1, name: "<image.bin>" });
  if (typeof p === "number") return p;
  const file = p.positionals[0]!, board = p.values.board ?? (process.env.BOARD || "pos-esp32-v1");
  let bytes: Uint8Array;
  try { bytes = new Uint8Array(fs.readFileSync(file)); } catch (e) {
    console.error(`pos-sim audit: cannot read ${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
    return 2;
  }
  let where;
  try { where = regionOf(bytes, board); } catch (e) { console.error(`pos-sim audit: ${(e as Error).message}`); return 2; }
  if (typeof where === "string") { console.error(`pos-sim audit: ${file}: ${where}`); return 2; }
  const rep = verifyAudit(where.region, where.sectorSize);
  console.log(`audit: ${file} (${where.what}, board ${board})`);
  for (const n of rep.notes) console.log("  " + n);
  if (p.values.list) for (const e of rep.entries) console.log("  " + describeEntry(e));
  for (const q of rep.problems) console.log(`  BROKEN at sector ${q.sector} slot ${q.slot} seq ${q.seq}: ${q.why}`);
  const first = rep.entries[0], last = rep.entries[rep.entries.length - 1];
  const span = first && last ? `, seq ${first.seq}..${last.seq}` : "";
  console.log(`audit: ${rep.status.toUpperCase()}: ${rep.entries.length} entries${span}` + (rep.head && last ? `, head ${rep.head}` : ""));
  return rep.status === "intact" || rep.status === "empty" ? 0 : 1;
}
