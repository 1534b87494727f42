// The application's view of the rest of the firmware. The flow (firmware/app/flow.ts) talks
// only to these small interfaces; firmware/app/wiring.ts adapts the real modules (journal,
// host engine, card service, printer, screen toolkit, keypad) to them, and the Node tests
// plug in fakes. Completions are (err, result) callbacks; errors carry a `code`. A
// transaction is firmware/txn.ts's TxnRecord everywhere: as the engine answers it, as the
// journal reads it back, as it is printed.
import { CardData, TxnKind, TxnRecord, Totals, SettleResult } from "../txn";
import { PrintJob } from "../../drivers/print-doc";
import { Health } from "../health/store";
import { PrintDoc } from "../../drivers/print-doc";
import { MerchantInfo } from "../receipt/receipt";
import { Board } from "../../boards/types";

/** An error handed to the flow: `code` decides the screen, `message` is shown as is. */
export interface AppError { code: string; message: string; }

/** Keys as the board's keypad names them. */
export type Key = string; // "0".."9", "00", "CANCEL", "CLEAR", "ENTER", "FUNC", "MENU"

/** What the display shows: a title bar, up to 5 body lines, a hint line. ASCII only. */
export interface Screen { title: string; lines: string[]; hint: string; }
export interface DisplayPort { show(s: Screen): void; }

export interface KeypadPort { onKey(fn: (key: Key) => void): void; }

export interface Timers {
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
  /** seconds since boot */
  getTime(): number;
}

export interface CardsPort {
  /** start waiting for a swipe or a tap: `card` once with the card (RAM only: never journaled,
   *  never logged; its entry mode and card type are set). A bad read (CARD_ERROR)
   *  or a reader fault (READER_FAULT) goes to `problem` and the other readers keep waiting.
   *  cancel() stops waiting without calling either. */
  read(amount: number, card: (c: CardData) => void, problem: (err: AppError) => void): void;
  cancel(): void;
}

export interface FinancialRequest {
  kind: TxnKind;
  amount: number;
  /** sale/refund: the card (RAM only) and its token; void: undefined */
  card?: CardData;
  token?: string;
  last4?: string;
  /** void: the invoice to void */
  invoice?: number;
}

/** The host engine (firmware/host): serials, reversal, SAF and settlement are its job. */
export interface HostPort {
  /** boot: send a pending reversal, resolve in-doubt work; cb when the link is idle again
   *  (an error is shown, not fatal). */
  boot(cb: (err: AppError | null) => void): void;
  /** sale, refund or void. Error codes: NO_RESPONSE (reversal pending), NO_LINK (nothing
   *  sent), HOST_ERROR. Declines come back as a record in state DECLINED. */
  financial(req: FinancialRequest, cb: (err: AppError | null, txn?: TxnRecord) => void): void;
  settle(cb: (err: AppError | null, res?: SettleResult) => void): void;
  echo(cb: (err: AppError | null, rc?: string) => void): void;
  logon(cb: (err: AppError | null, rc?: string) => void): void;
  /** work the engine still owes the host (a pending reversal, advices not yet sent) */
  pendingWork(): { reversal: boolean; advices: number };
  /** short progress lines while a call runs ("CONNECTING", "WAITING", "REVERSAL"...) */
  onStatus(fn: (text: string) => void): void;
}

/** The journal as the app needs it (firmware/journal behind it). */
export interface JournalPort {
  /** null when healthy, else why the terminal must not transact */
  fault(): string | null;
  last(): TxnRecord | null;
  /** the open batch's sale or refund with that invoice, else a closed batch's still retained */
  byInvoice(invoice: number): TxnRecord | null;
  /** current batch totals (approved, not voided) */
  batchTotals(): Totals;
  /** totals since the last Z report */
  shiftTotals(): Totals;
  /** the approved (and voided) transactions since the last Z report, oldest first, one at a
   *  time (for the X/Z detail) */
  eachShiftLine(fn: (t: TxnRecord) => void): void;
  /** Z report: start a new shift */
  closeShift(cb: (err: AppError | null) => void): void;
  /** why a new sale, refund or void cannot start (the open batch is full), or null */
  saleRefusal?(): string | null;
  /** the transaction whose receipt was started but never finished (power cut), if any */
  unfinishedReceipt(): TxnRecord | null;
  /** receipt marks, by STAN (a void shares its sale's invoice) */
  receiptStarted(stan: number, cb: (err: AppError | null) => void): void;
  receiptDone(stan: number, cb: (err: AppError | null) => void): void;
  /** supervisor recovery from a fault: serials resume no lower than these */
  recover(minStan: number, minInvoice: number, minBatch: number, cb: (err: AppError | null) => void): void;
}

export type ReceiptCopy = "merchant" | "customer";
/** eachLine visits the detail lines one at a time (a batch may hold hundreds: never collected) */
/** render: a layout of its own (the audit log), given the merchant and the printer's time */
export interface ReportDoc { title: string; batch: number; totals: Totals; settled?: SettleResult; eachLine?: (fn: (t: TxnRecord) => void) => void;
  render?: (e: PrintDoc, m: MerchantInfo, time: number | string, reprint: boolean) => void; }
export interface PrinterPort {
  /** err code PAPER_OUT: the flow offers a reprint of the whole receipt marked REPRINT */
  receipt(txn: TxnRecord, copy: ReceiptCopy, reprint: boolean, cb: (err: AppError | null) => void): void;
  report(doc: ReportDoc, cb: (err: AppError | null) => void): void;
  /** the driver's state while printing: "paper out", "cover open", "ready", ... (the driver
   *  waits for paper itself and reprints the job marked REPRINT) */
  onStatus(fn: (what: string) => void): void;
  /** give up the current job: its callback gets code CANCELLED */
  cancel(): void;
  /** a ready layout (service receipts: health); absent: no printer */
  job?(job: PrintJob, cb: (err: AppError | null) => void): void;
}

export interface Ports {
  display: DisplayPort;
  keypad: KeypadPort;
  timers: Timers;
  cards: CardsPort;
  host: HostPort;
  journal: JournalPort;
  printer: PrinterPort;
  /** SHA-256 of an 8-bit string, as an 8-bit string of 32 chars */
  sha256: (data: string) => string;
  /** a random byte 0..255 (E.hwRand on the device) */
  randomByte: () => number;
  /** the audit trail (firmware/audit/log.ts AuditLog); absent on a board or test without it */
  audit?: AuditPort;
  /** the board file (built anew on each call): the firmware update reads its flash regions */
  board?: () => Board;
  /** the interpreter is low on memory: refuse new sales (firmware/board.ts memoryLow) */
  memoryLow?: () => boolean;
  /** the health counters (firmware/health); absent in tests that do not need them */
  health?: Health;
  log: (line: string) => void;
}

/** events: firmware/audit/format.ts AuditEvent, roles AuditRole; entries as on flash */
export interface AuditPort {
  append(event: number, role: number, a: number, b: number): boolean;
  /** the read side, for firmware/audit/menu.ts eachEntry (only the menu reads the log) */
  flash: { read(length: number, address: number): Uint8Array };
  st: Uint32Array;
}

export function appError(code: string, message: string): AppError {
  return { code: code, message: message };
}
