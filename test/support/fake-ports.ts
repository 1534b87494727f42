// In-memory stand-ins for the application's ports (firmware/app/ports.ts), for testing the
// flow in Node without the bundle: a virtual clock, a RAM NOR flash with AND writes, a
// scripted host, a card reader fed by the test, a printer that can run out of paper and a
// journal kept as a list. They model behaviour, not bytes; the system tests use the real
// modules in the simulator.
import * as nodeCrypto from "crypto";
import * as zlib from "zlib";
import { Ports, Screen, FinancialRequest, AppError, ReceiptCopy, ReportDoc } from "../../firmware/app/ports";
import { Brand, CardData, EntryMode, SettleResult, Totals, TxnKind, TxnRecord, TxnState } from "../../firmware/txn";

export class FakeClock {
  t = 0;
  private seq = 0;
  private timers: { id: number; at: number; fn: () => void }[] = [];
  setTimeout(fn: () => void, ms: number): number { const id = ++this.seq; this.timers.push({ id, at: this.t + ms / 1000, fn }); return id; }
  clearTimeout(id: number): void { this.timers = this.timers.filter((x) => x.id !== id); }
  getTime(): number { return this.t; }
  /** run timers due within dt seconds */
  advance(dt: number): void {
    const end = this.t + dt;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }
}

export class RamFlash {
  mem: Uint8Array;
  ops = 0;
  cutAt = -1;
  constructor(public base: number, size: number) { this.mem = new Uint8Array(size).fill(0xff); }
  private tick(): void { if (this.cutAt >= 0 && this.ops++ === this.cutAt) { this.cutAt = -1; throw new Error("power cut"); } if (this.cutAt < 0) this.ops++; }
  read(length: number, addr: number): Uint8Array { return this.mem.slice(addr - this.base, addr - this.base + length); }
  write(data: Uint8Array, addr: number): void {
    for (let i = 0; i < data.length; i += 4) {
      this.tick();
      for (let j = i; j < Math.min(i + 4, data.length); j++) this.mem[addr - this.base + j]! &= data[j]!;
    }
  }
  erasePage(addr: number): void { this.tick(); const o = (addr - this.base) & ~4095; this.mem.fill(0xff, o, o + 4096); }
}

export function sha256Latin1(data: string): string {
  return nodeCrypto.createHash("sha256").update(Buffer.from(data, "latin1")).digest().toString("latin1");
}

export function crc32(d: Uint8Array): number { return zlib.crc32(d) >>> 0; }

function zeroTotals(): Totals { return { saleCount: 0, saleAmount: 0, refundCount: 0, refundAmount: 0, voidCount: 0, voidAmount: 0 }; }

const approved = (x: TxnRecord) => x.state === TxnState.APPROVED || x.state === TxnState.VOIDED;

export function totalsOf(txns: TxnRecord[]): Totals {
  const t = zeroTotals();
  for (const x of txns) {
    if (!approved(x)) continue;
    if (x.kind === TxnKind.SALE && x.state !== TxnState.VOIDED) { t.saleCount++; t.saleAmount += x.amount; }
    if (x.kind === TxnKind.REFUND) { t.refundCount++; t.refundAmount += x.amount; }
    if (x.kind === TxnKind.VOID) { t.voidCount++; t.voidAmount += x.amount; }
  }
  return t;
}

/** Everything a flow test touches, with knobs. */
export class FakeWorld {
  clock = new FakeClock();
  flash = new RamFlash(0xe000, 8192);
  screens: Screen[] = [];
  logs: string[] = [];
  printed: { invoice: number; copy: ReceiptCopy; reprint: boolean }[] = [];
  reports: ReportDoc[] = [];
  txns: TxnRecord[] = [];
  hostRequests: FinancialRequest[] = [];
  /** next host answer: rc, or an error code */
  hostReply: { rc?: string; err?: string } = { rc: "00" };
  paperOut = false;
  journalFault: string | null = null;
  receiptOpen = -1;
  shiftFrom = 0;
  stan = 0;
  invoice = 0;
  batch = 1;
  recovered: number[] = [];
  reversalPending = false;
  private keyFn: (k: string) => void = () => {};
  private cardCb: ((card: CardData) => void) | null = null;
  private cardProblem: ((err: AppError) => void) | null = null;
  cardReads = 0;

  ports(): Ports {
    const w = this;
    return {
      display: { show(s) { w.screens.push(s); } },
      keypad: { onKey(fn) { w.keyFn = fn; } },
      timers: { setTimeout: (fn, ms) => w.clock.setTimeout(fn, ms), clearTimeout: (id) => w.clock.clearTimeout(id), getTime: () => w.clock.getTime() },
      cards: {
        read(_amount, cb, problem) { w.cardReads++; w.cardCb = cb; w.cardProblem = problem; },
        cancel() { w.cardCb = null; w.cardProblem = null; },
      },
      host: {
        boot(cb) { setImmediateLike(() => cb(null)); },
        financial(req, cb) {
          w.hostRequests.push({ ...req, card: req.card ? { ...req.card } : undefined });
          const r = w.hostReply;
          if (r.err) return cb({ code: r.err, message: r.err.toLowerCase() });
          w.stan++;
          const ok = r.rc === "00";
          const txn: TxnRecord = {
            slot: -1, kind: req.kind, state: ok ? TxnState.APPROVED : TxnState.DECLINED, stan: w.stan, invoice: ok ? ++w.invoice : 0,
            batch: w.batch, amount: req.amount, entryMode: req.card ? req.card.entryMode : "", brand: (req.card && req.card.brand) || Brand.Unknown,
            last4: req.last4 || "", token: req.token || "", date: "1126", time: "120000", procCode: "", rc: r.rc || "00",
            authCode: ok ? "A" + w.stan : "", rrn: "RRN" + w.stan, reversalPending: false, advicePending: false,
            origInvoice: req.kind === TxnKind.VOID ? req.invoice || 0 : 0,
          };
          if (ok) {
            w.txns.push(txn);
            if (req.kind === TxnKind.VOID) { const o = w.txns.find((x) => x.invoice === req.invoice); if (o) o.state = TxnState.VOIDED; }
          }
          cb(null, txn);
        },
        settle(cb) {
          w.stan++;
          const res: SettleResult = { approved: true, outcome: "APPROVED", rc: "00", batch: w.batch, uploaded: 0, totals: totalsOf(w.txns.filter((x) => x.batch === w.batch)) };
          w.batch++;
          cb(null, res);
        },
        onStatus() {},
        pendingWork: () => ({ reversal: w.reversalPending, advices: 0 }),
        echo(cb) { w.stan++; cb(null, "00"); },
        logon(cb) { w.stan++; cb(null, "00"); },
      },
      journal: {
        fault: () => w.journalFault,
        last: () => w.txns.length ? w.txns[w.txns.length - 1]! : null,
        byInvoice: (n) => w.txns.find((x) => x.invoice === n) || null,
        batchTotals: () => totalsOf(w.txns.filter((x) => x.batch === w.batch)),
        shiftTotals: () => totalsOf(w.txns.filter((x) => x.invoice > w.shiftFrom)),
        eachShiftLine: (fn) => w.txns.filter((x) => x.invoice > w.shiftFrom && approved(x)).forEach((x) => fn(x)),
        closeShift(cb) { w.shiftFrom = w.invoice; cb(null); },
        unfinishedReceipt: () => w.receiptOpen > 0 ? w.txns.find((x) => x.stan === w.receiptOpen) || null : null,
        receiptStarted(inv, cb) { w.receiptOpen = inv; cb(null); },
        receiptDone(inv, cb) { if (w.receiptOpen === inv) w.receiptOpen = -1; cb(null); },
        recover(minStan, minInvoice, minBatch, cb) { w.recovered = [minStan, minInvoice, minBatch]; w.journalFault = null; w.stan = Math.max(w.stan, minStan); w.invoice = Math.max(w.invoice, minInvoice); cb(null); },
      },
      printer: {
        receipt(txn, copy, reprint, cb) {
          if (w.paperOut) return cb({ code: "PAPER_OUT", message: "Paper out" });
          w.printed.push({ invoice: txn.invoice, copy, reprint });
          cb(null);
        },
        report(doc, cb) { if (w.paperOut) return cb({ code: "PAPER_OUT", message: "Paper out" }); w.reports.push(doc); cb(null); },
        onStatus() {},
        cancel() {},
      },
      sha256: sha256Latin1,
      randomByte: () => Math.floor(Math.random() * 256),
      log: (line) => { w.logs.push(line); },
    };
  }

  key(k: string): void { this.keyFn(k); }
  keys(s: string): void { for (const c of s) this.key(c); }
  presentCard(card: CardData): void { const cb = this.cardCb; this.cardCb = null; if (!cb) throw new Error("nobody is reading cards"); cb(card); }
  /** a failed read: reported, the reader keeps waiting */
  badRead(): void { if (!this.cardProblem) throw new Error("nobody is reading cards"); this.cardProblem({ code: "CARD_ERROR", message: "Swipe again" }); }
  get reading(): boolean { return this.cardCb !== null; }
  get screen(): Screen { return this.screens[this.screens.length - 1]!; }
  screenText(): string { const s = this.screen; return [s.title, ...s.lines, s.hint].join("\n"); }
}

function setImmediateLike(fn: () => void): void { fn(); }

export const VISA: CardData & { pan: string } = {
  pan: "4111111111111111", expiry: "3012", track2: "4111111111111111=30121010000000000", entryMode: EntryMode.Swipe, brand: Brand.Visa,
};
