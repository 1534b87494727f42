// The acquirer simulator: answers the terminal's ISO 8583 messages (docs/host-protocol.md),
// keeps a ledger per terminal (TID) and checks the terminal's promises: no STAN reused, every
// reversal matches an original, settlement totals equal the ledger, no double charge.
// Transport-agnostic: `handle(socket)` serves one connection of the VirtualSocket shape
// (sim/bus/types.ts); ./tcp.ts adapts real TCP sockets to it.
// Its codec (./iso8583, ./framing, ./totals) is its own, written from the spec: it shares no
// code with firmware/host, so a codec bug there cannot hide by agreeing with itself.
import { tlsServerSocket, TlsCredentials } from "../bus/tls";
import { IsoMessage, decode, encode, responseMti, text, zeroPad as digits } from "./iso8583";
import { Deframer, frame, niiOf, tpdu } from "./framing";
import { encodeMacked, isMacked, macProblem, TEST_MAC_KEY } from "./mac";
import { emptyTotals, formatTotals, parseTotals, sameTotals, Totals } from "./totals";
import { HealthBook } from "./health";
import type { VirtualNetwork, VirtualSocket } from "../bus/types";

export type FaultKind = "noResponse" | "drop" | "late" | "garbled" | "disconnectMid" | "duplicate" | "rc" | "badMac";

export interface FaultRule {
  /** request MTI to match ("0200"); any when absent */
  mti?: string;
  /** DE 3 to match; any when absent */
  procCode?: string;
  /** how many matching messages it applies to (default 1) */
  count?: number;
  fault: FaultKind;
  /** late: reply delay */
  delayMs?: number;
  /** rc: the response code to answer */
  rc?: string;
  /** whether the host processes (charges) the message before the fault; defaults: drop and
   *  rc -> false, every other fault -> true (the worst case for the terminal) */
  process?: boolean;
}

export interface DeclineRule { endsWith: string; rc: string; }

export type ChargeState = "approved" | "reversed" | "voided";

export interface Charge {
  stan: number;
  invoice: number;
  amount: number;
  kind: "sale" | "refund" | "offline";
  procCode: string;
  rrn: string;
  authCode: string;
  state: ChargeState;
  batch: number;
}

export interface Violation { type: string; stan: number; detail: string; }

interface Seen { mti: string; procCode: string; amount: number; invoice: number; rc: string; charge?: Charge; voidOf?: Charge; }

export interface Ledger {
  tid: string;
  batch: number;
  charges: Charge[];
  /** every STAN seen from this TID (reversals excluded: they repeat the original's) */
  seen: Map<number, Seen>;
  uploads: { stan: number; origStan: number; invoice: number; amount: number; procCode: string }[];
  reversed: number;
  orphanReversals: number;
  duplicateAdvices: number;
  settlements: number;
  violations: Violation[];
}

export interface LedgerView {
  tid: string;
  batch: number;
  /** live charges of the open batch: approved, not reversed, not voided */
  charges: Charge[];
  /** approved charges of settled batches (their batch field is minus the terminal's batch number) */
  settled: Charge[];
  /** every charge ever recorded, in any state */
  all: Charge[];
  reversed: number;
  orphanReversals: number;
  duplicateAdvices: number;
  settlements: number;
  /** live charges sharing an invoice with another live charge, plus charges found at batch
   *  upload that the terminal does not know (it was charged without a receipt) */
  doubleCharges: number;
  violations: Violation[];
  totals: Totals;
}

export interface AcquirerOptions {
  declineRules?: DeclineRule[];
  /** scheduler for late replies and connection timeouts (the virtual clock in the simulator);
   *  default setTimeout (unref'd). May return a handle for `cancel`. */
  after?: (ms: number, fn: () => void) => unknown;
  /** cancels a handle from `after` (optional: a stale timer is ignored anyway) */
  cancel?: (handle: unknown) => void;
  /** close a connection that sends nothing for this long with no reply pending (default
   *  60,000 ms; 0: never) */
  idleTimeoutMs?: number;
  /** close a connection that started a frame and did not finish it within this (default
   *  10,000 ms; 0: never) */
  partialTimeoutMs?: number;
  log?: (line: string) => void;
  /** MAC key, hex (docs/host-protocol.md §1.4); default TEST_MAC_KEY; null: no MACs at all
   *  (requests not checked, responses not MACed) */
  macKey?: string | null;
  /** a terminal's health report arrived (0800, DE 70 801): its table (./health.ts) */
  onHealth?: (tid: string, table: string) => void;
  /** the host's clock, ms since 1970 of its LOCAL time (read with UTC getters): DE 12/13 of
   *  every answer to a request that carried none (0810, 0510, ...: the terminal sets its clock
   *  from them). Default: the machine's local time; the simulator passes its virtual clock. */
  now?: () => number;
}

/** the machine's local time as ms whose UTC fields read local (the default host clock) */
export function localNowMs(): number { const d = new Date(); return d.getTime() - d.getTimezoneOffset() * 60000; }

/** DE 13 "MMDD" and DE 12 "hhmmss" of a host clock reading (ms, UTC fields = local time) */
export function hostDateTime(ms: number): { de13: string; de12: string } {
  const d = new Date(ms), p = (n: number) => String(n).padStart(2, "0");
  return { de13: p(d.getUTCMonth() + 1) + p(d.getUTCDate()), de12: p(d.getUTCHours()) + p(d.getUTCMinutes()) + p(d.getUTCSeconds()) };
}

export const DEFAULT_IDLE_TIMEOUT_MS = 60000;
export const DEFAULT_PARTIAL_TIMEOUT_MS = 10000;

function liveTotals(charges: Charge[], batch: number, anyBatch = false): Totals {
  const t = emptyTotals();
  for (const c of charges) {
    if (c.state !== "approved" || (!anyBatch && c.batch !== batch)) continue;
    if (c.kind === "refund") { t.refundCount++; t.refundAmount += c.amount; } else { t.saleCount++; t.saleAmount += c.amount; }
  }
  return t;
}

export class Acquirer {
  private ledgers = new Map<string, Ledger>();
  private faults: FaultRule[] = [];
  private rrnSeq = 0;
  private authSeq = 0;
  private declineRules: DeclineRule[];
  private after: (ms: number, fn: () => void) => unknown;
  private cancel: (handle: unknown) => void;
  private idleMs: number;
  private partialMs: number;
  private log: (line: string) => void;
  private connSeq = 0;
  private macKey: string | null;
  private now: () => number;
  /** financial requests refused for a bad or missing MAC (answered A0, not processed) */
  macFailures = 0;
  /** malformed requests received (the connection is closed on them) */
  readonly errors: string[] = [];
  /** every request and what was done with it, for tests and the UI */
  readonly trace: { mti: string; stan: string; tid: string; rc: string; fault?: FaultKind }[] = [];
  /** terminal health reports, the latest per TID (docs/health.md) */
  readonly health: HealthBook;

  constructor(opts: AcquirerOptions = {}) {
    this.declineRules = opts.declineRules ?? [{ endsWith: "51", rc: "51" }];
    if (opts.after) {
      this.after = opts.after;
      this.cancel = opts.cancel ?? (() => {});
    } else {
      this.after = (ms, fn) => { const t = setTimeout(fn, ms); t.unref?.(); return t; };
      this.cancel = (h) => clearTimeout(h as ReturnType<typeof setTimeout>);
    }
    this.idleMs = opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.partialMs = opts.partialTimeoutMs ?? DEFAULT_PARTIAL_TIMEOUT_MS;
    this.log = opts.log ?? (() => {});
    this.macKey = opts.macKey === undefined ? TEST_MAC_KEY : opts.macKey;
    this.health = new HealthBook(opts.onHealth);
    this.now = opts.now ?? localNowMs;
  }

  /** Listen on the simulator's virtual network; with `tls`, behind the TLS model
   *  (sim/bus/tls.ts) holding these credentials. */
  attach(net: VirtualNetwork, host: string, port: number, tls?: TlsCredentials): void {
    net.listen(host, port, (sock) => this.handle(tls ? tlsServerSocket(sock, tls, (l) => {
      this.tlsFailures++;
      this.log(`acquirer: ${l}`);
    }) : sock));
  }
  /** handshakes a client refused (TLS model on the virtual network) */
  tlsFailures = 0;

  /** Script faults: rules are consumed in order, each for `count` matching messages. */
  inject(rule: FaultRule): void { this.faults.push({ ...rule, count: rule.count ?? 1 }); }
  clearFaults(): void { this.faults.splice(0); }
  pendingFaults(): FaultRule[] { return this.faults.map((f) => ({ ...f })); }

  private takeFault(m: IsoMessage): FaultRule | undefined {
    for (let i = 0; i < this.faults.length; i++) {
      const f = this.faults[i]!;
      if (f.mti && f.mti !== m.mti) continue;
      if (f.procCode && f.procCode !== m.f[3]) continue;
      f.count = (f.count ?? 1) - 1;
      if (f.count <= 0) this.faults.splice(i, 1);
      return f;
    }
    return undefined;
  }

  /** Serve one connection: any number of framed requests, one reply each. A frame the
   *  acquirer cannot take (impossible length, TPDU, unparsable message) is logged with the
   *  reason and closes the connection; so does a connection idle for idleTimeoutMs (no reply
   *  pending) or a frame left unfinished for partialTimeoutMs. */
  handle(sock: VirtualSocket): void {
    const id = ++this.connSeq;
    let closed = false;
    let timer: { handle: unknown; token: number } | null = null;
    let token = 0;
    let replies = 0; // late replies still to send
    const stopTimer = () => { if (timer) { this.cancel(timer.handle); timer = null; } };
    const close = (why: string) => {
      if (closed) return;
      stopTimer();
      this.log(`acquirer: connection ${id}: closing: ${why}`);
      closed = true;
      sock.end();
    };
    const reject = (why: string) => {
      this.errors.push(why);
      this.log(`acquirer: connection ${id}: rejected frame: ${why}`);
      close("rejected frame");
    };
    /** (re)arm the one timer this connection has: partial frame or idle */
    const arm = () => {
      stopTimer();
      if (closed) return;
      const pending = deframer.pending();
      const ms = pending > 0 ? this.partialMs : replies > 0 ? 0 : this.idleMs;
      if (!(ms > 0)) return;
      const mine = ++token;
      const why = pending > 0 ? `partial frame (${pending} bytes) unfinished for ${ms} ms` : `idle for ${ms} ms`;
      timer = { token: mine, handle: this.after(ms, () => { if (timer && timer.token === mine) { timer = null; close(why); } }) };
    };
    sock.onClose(() => { closed = true; stopTimer(); });
    const deframer = new Deframer((head, body) => {
      if (closed) return;
      const size = `${head.length + body.length} bytes`;
      if (head[0] !== 0x60) { reject(`TPDU id 0x${head[0]!.toString(16).padStart(2, "0")}, expected 0x60 (${size})`); return; }
      const nii = niiOf(head);
      if (nii === null) { reject(`TPDU destination ${head.subarray(1, 3).toString("hex").toUpperCase()} is not a BCD NII (${size})`); return; }
      let req: IsoMessage;
      try { req = decode(body); } catch (e) {
        reject(`malformed request (${size}): ${(e as Error).message}`);
        return;
      }
      const send = (bytes: string) => { if (!closed) sock.write(bytes); };
      this.respond(req, nii, send, () => { if (!closed) { stopTimer(); closed = true; sock.end(); } }, {
        delayed: () => { replies++; },
        sent: () => { replies--; arm(); },
      }, body);
    }, (reason) => reject(reason));
    sock.onData((d) => {
      if (closed) return;
      deframer.push(d);
      arm();
    });
    arm();
  }

  /** Process one request with the scripted faults; `send` gets latin1 frames. `wire`: the
   *  request as received (MTI onwards), whose MAC is checked; without it (in-process callers)
   *  the request is taken as authentic. */
  respond(req: IsoMessage, nii: string, send: (latin1: string) => void, close: () => void,
    later?: { delayed(): void; sent(): void }, wire?: Uint8Array): void {
    const macked = this.macKey !== null && isMacked(req.mti);
    const problem = macked && wire ? macProblem(req, wire, this.macKey!) : null;
    if (problem) {
      // a real host neither processes nor MACs a request it cannot authenticate: A0 (the CUP
      // "MAC verification failed" code), the reply without DE 64
      this.macFailures++;
      const r = this.reply(req, "A0");
      this.trace.push({ mti: req.mti, stan: String(req.f[11] ?? ""), tid: String(req.f[41] ?? ""), rc: "A0" });
      this.log(`${req.mti}/${req.f[3] ?? ""} STAN ${req.f[11] ?? "?"} TID ${text(req, 41)}: ${problem} -> A0`);
      send(frame(encode(r), tpdu("0000", nii)).toString("latin1"));
      return;
    }
    const fault = this.takeFault(req);
    const kind = fault?.fault;
    const processIt = fault?.process ?? !(kind === "drop" || kind === "rc");
    let resp: IsoMessage;
    if (processIt) resp = this.process(req);
    else resp = this.reply(req, fault?.rc ?? "96");
    if (kind === "rc" && processIt) resp.f[39] = fault!.rc ?? "96";
    this.trace.push({ mti: req.mti, stan: String(req.f[11] ?? ""), tid: String(req.f[41] ?? ""), rc: String(resp.f[39] ?? ""), fault: kind });
    this.log(`${req.mti}/${req.f[3] ?? ""} STAN ${req.f[11] ?? "?"} TID ${text(req, 41)}` +
      (req.f[4] !== undefined ? ` amount ${Number(req.f[4])}` : "") + ` -> ${resp.f[39]}` + (kind ? ` [fault ${kind}]` : ""));
    if (kind === "noResponse" || kind === "drop") return;
    // jPOS swaps source and destination in replies; the terminal must accept it
    const body = macked ? encodeMacked(resp, this.macKey!) : encode(resp);
    if (kind === "badMac" && macked) body[body.length - 1]! ^= 0x01; // the response MAC no longer verifies
    const bytes = frame(body, tpdu("0000", nii));
    const latin1 = bytes.toString("latin1");
    switch (kind) {
      case "late":
        later?.delayed();
        this.after(fault!.delayMs ?? 60000, () => { send(latin1); later?.sent(); });
        return;
      case "garbled": {
        const g = Buffer.from(bytes);
        g[7] = 0xff; g[8] = 0xff; // MTI is no longer BCD
        send(g.toString("latin1"));
        return;
      }
      case "disconnectMid": send(latin1.slice(0, Math.max(3, latin1.length >> 1))); close(); return;
      case "duplicate": send(latin1); send(latin1); return;
      default: send(latin1);
    }
  }

  ledgerOf(tid: string): Ledger {
    let l = this.ledgers.get(tid);
    if (!l) {
      l = { tid, batch: 0, charges: [], seen: new Map(), uploads: [], reversed: 0, orphanReversals: 0, duplicateAdvices: 0, settlements: 0, violations: [] };
      this.ledgers.set(tid, l);
    }
    return l;
  }

  /** The ledger as tests and the UI read it. */
  ledger(tid: string): LedgerView {
    const l = this.ledgerOf(tid);
    const approved = l.charges.filter((c) => c.state === "approved");
    const byInvoice = new Map<string, number>();
    for (const c of approved) {
      const key = (c.batch < 0 ? -c.batch : "open") + "/" + c.invoice;
      byInvoice.set(key, (byInvoice.get(key) ?? 0) + 1);
    }
    let dup = 0;
    for (const n of byInvoice.values()) if (n > 1) dup += n - 1;
    const unaccounted = l.violations.filter((v) => v.type === "UNACCOUNTED_CHARGE").length;
    return {
      tid, batch: l.batch, charges: approved.filter((c) => c.batch >= 0), settled: approved.filter((c) => c.batch < 0),
      all: l.charges.slice(), reversed: l.reversed,
      orphanReversals: l.orphanReversals, duplicateAdvices: l.duplicateAdvices, settlements: l.settlements,
      doubleCharges: dup + unaccounted, violations: l.violations.slice(), totals: liveTotals(l.charges, l.batch),
    };
  }

  tids(): string[] { return [...this.ledgers.keys()]; }

  private reply(req: IsoMessage, rc: string): IsoMessage {
    const r: IsoMessage = { mti: responseMti(req.mti), f: {} };
    for (const de of [3, 4, 11, 12, 13, 24, 41, 42, 60, 62]) if (req.f[de] !== undefined) r.f[de] = req.f[de]!;
    if (req.f[12] === undefined) { // the request had no time: answer with the host's (the terminal's clock source)
      const t = hostDateTime(this.now());
      r.f[12] = t.de12; r.f[13] = t.de13;
    }
    r.f[39] = rc;
    return r;
  }

  private approve(r: IsoMessage): { rrn: string; auth: string } {
    const rrn = digits(++this.rrnSeq, 12);
    const auth = digits((++this.authSeq * 7919) % 1000000, 6);
    r.f[37] = rrn;
    r.f[38] = auth;
    return { rrn, auth };
  }

  private violation(l: Ledger, type: string, stan: number, detail: string): void {
    l.violations.push({ type, stan, detail });
    this.log(`acquirer: ${l.tid} ${type} STAN ${stan}: ${detail}`);
  }

  /** The host's decision and ledger effect for one request (no faults). */
  process(req: IsoMessage): IsoMessage {
    const tid = text(req, 41);
    const l = this.ledgerOf(tid);
    const stan = Number(req.f[11] ?? 0);
    const procCode = String(req.f[3] ?? "");
    const amount = Number(req.f[4] ?? 0);
    const invoice = Number(req.f[62] ?? 0);
    if (req.mti === "0400" || req.mti === "0401") return this.reversal(l, req, stan, procCode, amount);
    if (l.seen.has(stan)) {
      this.violation(l, "STAN_REUSE", stan, `${req.mti} reuses STAN of ${l.seen.get(stan)!.mti}`);
      return this.reply(req, "94");
    }
    const seen: Seen = { mti: req.mti, procCode, amount, invoice, rc: "" };
    l.seen.set(stan, seen);
    const r = this.reply(req, "00");
    switch (req.mti) {
      case "0200": this.financial(l, req, r, seen, stan, procCode, amount, invoice); break;
      case "0220": this.advice(l, req, r, stan, procCode, amount, invoice); break;
      case "0320":
        l.uploads.push({ stan, origStan: Number(String(req.f[60] ?? "").slice(4, 10)), invoice, amount, procCode });
        break;
      case "0500": this.settlement(l, req, r, procCode); break;
      case "0800": r.f[39] = this.health.take(tid, req.f[70], req.f[48], this.log); break;
      default: r.f[39] = "12"; // invalid transaction
    }
    seen.rc = String(r.f[39]);
    return r;
  }

  private financial(l: Ledger, req: IsoMessage, r: IsoMessage, seen: Seen, stan: number, procCode: string, amount: number, invoice: number): void {
    if (procCode === "020000" || procCode === "220000") {
      const orig = l.charges.find((c) => c.invoice === invoice && c.state === "approved" && c.amount === amount && c.batch === l.batch);
      if (!orig) { r.f[39] = "25"; return; } // unable to locate the original
      orig.state = "voided";
      seen.voidOf = orig;
      this.approve(r);
      return;
    }
    if (procCode !== "000000" && procCode !== "200000") { r.f[39] = "12"; return; }
    if (!(req.f[2] || req.f[35])) { r.f[39] = "30"; return; } // format error: no card
    for (const rule of this.declineRules) {
      if (String(amount).endsWith(rule.endsWith)) { r.f[39] = rule.rc; return; }
    }
    const { rrn, auth } = this.approve(r);
    const c: Charge = { stan, invoice, amount, kind: procCode === "200000" ? "refund" : "sale", procCode, rrn, authCode: auth, state: "approved", batch: l.batch };
    l.charges.push(c);
    seen.charge = c;
  }

  private advice(l: Ledger, req: IsoMessage, r: IsoMessage, stan: number, procCode: string, amount: number, invoice: number): void {
    const auth = text(req, 38);
    const dup = l.charges.find((c) => c.kind === "offline" && c.invoice === invoice && c.amount === amount && c.authCode === auth);
    if (dup) { l.duplicateAdvices++; return; } // a lost 0230: acknowledge again, charge once
    const rrn = digits(++this.rrnSeq, 12);
    r.f[37] = rrn;
    l.charges.push({ stan, invoice, amount, kind: "offline", procCode, rrn, authCode: auth, state: "approved", batch: l.batch });
  }

  private reversal(l: Ledger, req: IsoMessage, stan: number, procCode: string, amount: number): IsoMessage {
    const r = this.reply(req, "00");
    const orig = l.seen.get(stan);
    if (!orig || orig.mti !== "0200") {
      // nothing to undo: the request never arrived (persist-before-send makes this normal)
      l.orphanReversals++;
      return r;
    }
    if (orig.procCode !== procCode || orig.amount !== amount) {
      this.violation(l, "REVERSAL_MISMATCH", stan, `0400 ${procCode}/${amount} vs original ${orig.procCode}/${orig.amount}`);
      return r;
    }
    if (orig.charge && orig.charge.state === "approved") { orig.charge.state = "reversed"; l.reversed++; }
    if (orig.voidOf && orig.voidOf.state === "voided") { orig.voidOf.state = "approved"; orig.voidOf = undefined; l.reversed++; }
    return r;
  }

  /** Approved charges the terminal's batch `b` covers: the host's open batch, plus what the
   *  host already settled under the same batch number (the terminal missed the 0510, or
   *  its batch close was cut: a re-settlement must not double count or fail forever). */
  private batchCharges(l: Ledger, b: number): Charge[] {
    return l.charges.filter((c) => c.state === "approved" && (c.batch === l.batch || c.batch === -b));
  }

  private settlement(l: Ledger, req: IsoMessage, r: IsoMessage, procCode: string): void {
    let t: Totals;
    try { t = parseTotals(String(req.f[63] ?? "")); } catch (e) {
      this.log(`acquirer: ${l.tid} 0500 STAN ${req.f[11] ?? "?"}: ${(e as Error).message}: 30`);
      r.f[39] = "30"; // format error
      return;
    }
    const batch = Number(req.f[60] ?? 0);
    const charges = this.batchCharges(l, batch);
    if (procCode === "920000") {
      const mine = liveTotals(charges, -1, true);
      if (!sameTotals(t, mine)) {
        this.log(`acquirer: ${l.tid} totals ${formatTotals(t).slice(0, 30)} != ledger ${formatTotals(mine).slice(0, 30)}: 95`);
        l.uploads.splice(0);
        r.f[39] = "95";
        return;
      }
    } else if (procCode === "960000") {
      this.reconcileUpload(l, t, charges);
    } else { r.f[39] = "12"; return; }
    l.settlements++;
    for (const c of charges) if (c.state === "approved") c.batch = -batch; // archived as settled
    l.batch++;
    l.uploads.splice(0);
  }

  /** After a batch upload the terminal's view wins; differences are the terminal's failures. */
  private reconcileUpload(l: Ledger, t: Totals, charges: Charge[]): void {
    const up = l.uploads;
    const upTotals = emptyTotals();
    for (const u of up) {
      if (u.procCode === "200000") { upTotals.refundCount++; upTotals.refundAmount += u.amount; } else { upTotals.saleCount++; upTotals.saleAmount += u.amount; }
    }
    if (!sameTotals(upTotals, t)) this.violation(l, "UPLOAD_MISMATCH", 0, "uploaded records do not add up to the 0500 totals");
    for (const c of charges) {
      if (c.state !== "approved") continue;
      if (!up.some((u) => u.invoice === c.invoice && u.amount === c.amount)) {
        this.violation(l, "UNACCOUNTED_CHARGE", c.stan, `host charged ${c.amount} (invoice ${c.invoice}) that the terminal does not have`);
        c.state = "reversed"; // the host refunds it when it closes the batch
      }
    }
    for (const u of up) {
      if (!charges.some((c) => c.state === "approved" && c.invoice === u.invoice && c.amount === u.amount)) {
        this.violation(l, "UNKNOWN_UPLOAD", u.origStan, `terminal has ${u.amount} (invoice ${u.invoice}) that the host never approved`);
      }
    }
  }
}
