// pos-sim journal-image: a journal region image written by the firmware's own journal code
// (firmware/journal/journal.ts on the virtual NOR flash, zlib's CRC-32), for the ESP32 twin
// (`twin --image out.bin@0x310000`) or a board: M settled sales in closed batches (the ring
// wraps and keeps settled history), then N approved, printed sales in one open batch.
import * as fs from "fs";
import * as zlib from "zlib";
import { cliArgs, UsageError } from "../cli-args";
import { NorFlash } from "../parts/nor-flash";
import { loadBoard, BoardError } from "../../tools/board";
import { openJournal, Journal, Kind, Result, JournalRegion, JournalRecord, isJournalError } from "../../firmware/journal/journal";

export const summary = "write a journal region image made by the firmware's journal (--sales N --settled M [--board B] out.bin)";

const USAGE = "usage: pos-sim journal-image --sales N --settled M [--batch-size K] [--board B] out.bin\n" +
  "Writes the board's journal region (flashRegions.journal) as the firmware's journal leaves it after M settled\n" +
  "sales (batches of K, default 100, each settled and closed) and N approved, printed sales in the open batch.\n" +
  "Exit 2 on bad arguments or when the journal refuses a sale (e.g. 'full': the batch is at its limit).";

export interface ImageOptions { sales: number; settled: number; batchSize?: number; region: JournalRegion; }

export interface ImageResult {
  bytes: Uint8Array;
  /** sales in the open batch, settled sales, batches closed */
  open: number;
  settled: number;
  batches: number;
  next: { stan: number; invoice: number; batch: number };
}

/** the journal refused a sale: `accepted` sales of the open batch went in before it */
export class Refused extends Error {
  constructor(public accepted: number, public code: string, public reason: string, public settledPhase: boolean) {
    super(`the journal refused ${settledPhase ? "settled-history" : "open-batch"} sale ${accepted + 1} (${code}: ${reason})`);
  }
}

const crc32 = (d: Uint8Array): number => zlib.crc32(d);
const CARDS = ["1111", "4444", "0004", "8431", "5100", "0005"];

function flashFor(r: JournalRegion): NorFlash {
  return new NorFlash({ ranges: [{ base: r.base, size: r.sectors * r.sectorSize }], sectorSize: r.sectorSize });
}

/** one realistic sale: reserve, answered approved (RC 00, auth code, 12-digit RRN), printed */
function sale(j: Journal, n: number): { code: string; reason: string } | null {
  const token = new Uint8Array(8);
  for (let i = 0; i < 8; i++) token[i] = (n * 31 + i * 97 + 13) & 255;
  const r = j.reserve(Kind.Sale, { amount: 100 + ((n * 7919) % 49900), token, last4: CARDS[n % CARDS.length]! });
  if (isJournalError(r)) return r;
  const auth = String.fromCharCode(65 + (n % 26)) + String(100000 + (n * 37) % 900000).slice(1);
  const rrn = String(100000000000 + n);
  const e = j.markAnswered(r.slot, Result.Approved, "00", auth, rrn) || j.markPrinted(r.slot);
  if (e) throw new Error(`journal-image: ${e.code}: ${e.reason}`);
  return null;
}

/** settlement as the engine journals it: a Settle record (its STAN), then the batch close */
function settle(j: Journal): void {
  const s = j.reserve(Kind.Settle, {});
  if (isJournalError(s)) throw new Error(`journal-image: settlement refused: ${s.code}: ${s.reason}`);
  const b = j.closeBatch();
  if (typeof b !== "number") throw new Error(`journal-image: closeBatch: ${b.code}: ${b.reason}`);
}

/** Builds the image; throws Refused when the journal does not accept a sale. */
export function makeImage(o: ImageOptions): ImageResult {
  const flash = flashFor(o.region);
  const j = openJournal(flash, o.region, { crc32 });
  const k = o.batchSize || 100;
  let n = 0, batches = 0;
  for (let i = 0; i < o.settled; i++) {
    const e = sale(j, n++);
    if (e) throw new Refused(i % k, e.code, e.reason, true);
    if ((i + 1) % k === 0 || i + 1 === o.settled) { settle(j); batches++; }
  }
  for (let i = 0; i < o.sales; i++) {
    const e = sale(j, n++);
    if (e) throw new Refused(i, e.code, e.reason, false);
  }
  return {
    bytes: flash.read(o.region.sectors * o.region.sectorSize, o.region.base),
    open: o.sales, settled: o.settled, batches, next: j.next(),
  };
}

/** The largest open batch the journal accepts on a blank region (sales until it refuses),
 *  up to `cap`; returns cap + 1 when it accepted them all. */
export function batchLimit(region: JournalRegion, cap = 4000): { limit: number; code: string; reason: string } {
  const flash = flashFor(region);
  const j = openJournal(flash, region, { crc32 });
  for (let i = 0; i <= cap; i++) {
    const e = sale(j, i);
    if (e) return { limit: i, code: e.code, reason: e.reason };
  }
  return { limit: cap + 1, code: "", reason: "" };
}

/** Opens an image (as the firmware would at boot) and counts what it holds through queries
 *  the journal keeps: the open batch's totals and, by invoice, every retained sale. */
export function inspectImage(bytes: Uint8Array, region: JournalRegion): {
  state: string; open: number; retained: number; next: { stan: number; invoice: number; batch: number }; records: JournalRecord[];
} {
  const flash = flashFor(region);
  flash.write(bytes, region.base);
  const j = openJournal(flash, region, { crc32 });
  if (j.state === "fault") return { state: j.state, open: 0, retained: 0, next: { stan: 0, invoice: 0, batch: 0 }, records: [] };
  const next = j.next();
  const records: JournalRecord[] = [];
  for (let inv = 1; inv < next.invoice; inv++) { const r = j.byInvoice(inv); if (r) records.push(r); }
  return { state: j.state, open: j.batchTotals().saleCount, retained: records.length, next, records };
}

export function run(args: string[]): number {
  const p = cliArgs("pos-sim journal-image", args, {
    sales: { type: "int", min: 0 }, settled: { type: "int", min: 0 }, "batch-size": { type: "int", min: 1 }, board: { type: "string" },
  }, USAGE, { max: 1, name: "output file" }, ({ values, positionals }) => {
    if (values.sales === undefined) throw new UsageError("--sales N is required");
    if (values.settled === undefined) throw new UsageError("--settled M is required");
    if (!positionals.length) throw new UsageError("no output file given");
  });
  if (typeof p === "number") return p;
  const sales = p.values.sales!, settled = p.values.settled!, batchSize = p.values["batch-size"] ?? 100;
  const board = p.values.board ?? (process.env.BOARD || "pos-esp32-v1");
  const files = p.positionals;
  let region: JournalRegion;
  try {
    const b = loadBoard(board);
    if (!b.flashRegions || !b.flashRegions.journal) throw new Error(`board ${board} has no journal region`);
    region = b.flashRegions.journal;
  } catch (e) {
    console.error(`pos-sim journal-image: ${e instanceof BoardError ? e.message : (e as Error).message}`);
    return 2;
  }
  let img: ImageResult;
  try {
    img = makeImage({ sales, settled, batchSize, region });
  } catch (e) {
    if (e instanceof Refused) {
      console.error(`pos-sim journal-image: ${e.message}` +
        (e.settledPhase ? "" : `: the open batch takes at most ${e.accepted} sales here (after ${settled} settled)`));
      return 2;
    }
    throw e;
  }
  try {
    fs.writeFileSync(files[0]!, img.bytes);
  } catch (e) {
    console.error(`pos-sim journal-image: cannot write ${files[0]}: ${(e as Error).message}`);
    return 2;
  }
  console.log(`journal-image: ${files[0]}: ${img.bytes.length} bytes for 0x${region.base.toString(16)} (${board}): ` +
    `${img.open} sales in open batch ${img.next.batch}, ${img.settled} settled in ${img.batches} batches; ` +
    `next STAN ${img.next.stan}, invoice ${img.next.invoice}`);
  return 0;
}
