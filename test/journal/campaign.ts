// Power-cut campaigns for the journal: a seeded workload of mixed journal calls, an oracle
// model of what was acknowledged, and the invariant checks (flash-journal.md 5.1) run after
// every recovery. Used by the mocha campaigns, the soak and the bench.
import { NorFlash, PowerCutError, CutFault, NorSnapshot } from "../../sim/parts/nor-flash";
import { Journal, JournalRegion, Kind, Result, JournalRecord, Numbers, isJournalError } from "../../firmware/journal/journal";
import { open, dist, makeFlash } from "./support";
import { allRecords } from "../support/journal-records";

export type StateName = "sent" | "printed" | "voided" | "uploaded" | "revset" | "revcleared" | "reversed";
export type Op =
  | { t: "reserve"; kind: number; amount: number; last4: string; token: number[]; orig?: number; time?: number }
  | { t: "state"; idx: number; st: StateName }
  | { t: "answer"; idx: number; result: number; rc: string; auth: string; rrn: string }
  | { t: "close" };

export interface MRec {
  slot: number; kind: number; stan: number; invoice: number; batch: number; amount: number; last4: string; token: number[];
  /** the record's time as the journal keeps it (-1 unknown); token: the 4 bytes it keeps */
  time: number;
  st: { [k: string]: boolean }; answer: { result: number; rc: string; auth: string; rrn: string } | null;
}
/** recs: by op index; settled records are archived (null) once their batch is closed and
 *  their keys kept in `archived` (recKey -> archive sequence) so a record still on flash
 *  is not a phantom. The map is shared by the snapshots of a run: a snapshot sees only the
 *  entries up to its own archSeq. */
export interface Model { recs: (MRec | null)[]; lastStan: number; lastInv: number; batch: number; archived: Map<string, number>; archSeq: number; }

/** a record's identity across wraps: the same slot and STAN recur once the numbers wrap */
export function recKey(r: { slot: number; stan: number; batch: number; invoice: number }): string { return r.slot + ":" + r.stan + ":" + r.batch + ":" + r.invoice; }

export function isArchived(m: Model, key: string): boolean { return (m.archived.get(key) ?? Infinity) <= m.archSeq; }

export function cloneModel(m: Model): Model {
  return { recs: m.recs.map((r) => (r ? { ...r, st: { ...r.st } } : null)), lastStan: m.lastStan, lastInv: m.lastInv, batch: m.batch, archived: m.archived, archSeq: m.archSeq };
}

/** archives records that are neither in the current batch nor pending a reversal */
export function archive(m: Model): void {
  m.recs.forEach((r, i) => {
    if (r && r.batch !== m.batch && !mPending(r)) { m.archived.set(recKey(r), ++m.archSeq); m.recs[i] = null; }
  });
}

/** simple seeded generator for workloads (mulberry32) */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- the model's view of a record -------------------------------------------------------------
const reversible = (k: number) => k === Kind.Sale || k === Kind.Refund || k === Kind.Void;
export function mPending(r: MRec): boolean {
  const res = r.answer ? r.answer.result : 0;
  return reversible(r.kind) && !r.st.reversed && !r.st.revcleared && (!!r.st.revset || res === 0 || res === Result.ApprovedInvalid);
}

// ---- executing one op ------------------------------------------------------------------------
/** runs op on j; on success (the call returned) records it in the model. Throws PowerCutError. */
export function exec(j: Journal, m: Model, op: Op): boolean {
  if (op.t === "reserve") {
    const orig = op.orig !== undefined ? m.recs[op.orig]!.invoice : undefined;
    const res = j.reserve(op.kind, { amount: op.amount, last4: op.last4, token: new Uint8Array(op.token), origInvoice: orig, time: op.time });
    if (isJournalError(res)) return false;
    m.recs.push({ slot: res.slot, kind: op.kind, stan: res.stan, invoice: res.invoice, batch: res.batch, amount: op.amount,
      last4: op.last4, token: op.token.slice(0, 4), time: op.time === undefined ? -1 : op.time, st: {}, answer: null });
    m.lastStan = res.stan;
    if (op.kind === Kind.Sale || op.kind === Kind.Refund) m.lastInv = res.invoice;
    return true;
  }
  if (op.t === "close") {
    const res = j.closeBatch();
    if (isJournalError(res)) return false;
    m.batch = res;
    return true;
  }
  const r = m.recs[op.idx]!;
  if (op.t === "answer") {
    const e = j.markAnswered(r.slot, op.result, op.rc, op.auth, op.rrn);
    if (e && e.code === "full") return false; // needed an update frame: the caller settles first
    if (e) throw new Error("markAnswered failed: " + e.reason);
    r.answer = { result: op.result, rc: op.rc, auth: op.auth, rrn: op.rrn };
    return true;
  }
  const calls: { [k: string]: () => any } = {
    sent: () => j.markSent(r.slot), printed: () => j.markPrinted(r.slot), voided: () => j.markVoided(r.slot),
    uploaded: () => j.markUploaded(r.slot), revset: () => j.setReversalPending(r.slot),
    revcleared: () => j.clearReversal(r.slot, false), reversed: () => j.clearReversal(r.slot, true),
  };
  const e = calls[op.st]!();
  if (e && e.code === "full") return false;
  if (e) throw new Error(op.st + " failed: " + e.reason);
  r.st[op.st] = true;
  return true;
}

// ---- workload generator --------------------------------------------------------------------------
function rrnOf(n: number, rand: () => number): string {
  return rand() < 0.85 ? String(100000000000 + n * 7919).slice(-12) : "R" + n + "-X"; // mostly 12 digits
}

/** chooses the next op from the model state, like a terminal's transaction flow would */
export function chooseOp(m: Model, rand: () => number, n: number): Op {
  const cur = m.recs.map((r, i) => ({ r: r!, i })).filter((x) => x.r && (x.r.batch === m.batch || mPending(x.r)));
  const unanswered = cur.filter((x) => !x.r.answer && !x.r.st.revcleared && !x.r.st.reversed && x.r.kind !== Kind.Upload);
  // a pending reversal is resolved once it is not the transaction in progress (timeout -> 0400)
  const pending = cur.filter((x) => mPending(x.r) && (x.r.answer || x.r.st.revset || x.r.st.sent || x.i < m.recs.length - 1));
  const unprinted = cur.filter((x) => x.r.answer?.result === Result.Approved && !x.r.st.printed && (x.r.kind === Kind.Sale || x.r.kind === Kind.Refund || x.r.kind === Kind.Void));
  const voidable = cur.filter((x) => x.r.kind === Kind.Sale && x.r.st.printed && !x.r.st.voided && x.r.batch === m.batch);
  const x = rand();
  if (n % 37 === 36 && pending.length === 0) return { t: "close" };
  const lastIdx = m.recs.length - 1;
  if (unanswered.length && unanswered[unanswered.length - 1]!.i === lastIdx && x < 0.6) {
    const u = unanswered[unanswered.length - 1]!;
    if (!u.r.st.sent && rand() < 0.2) return { t: "state", idx: u.i, st: rand() < 0.8 ? "sent" : "revcleared" };
    const y = rand();
    if (y < 0.1) return { t: "state", idx: u.i, st: "sent" };
    const result = y < 0.75 ? Result.Approved : y < 0.92 ? Result.Declined : Result.ApprovedInvalid;
    return { t: "answer", idx: u.i, result, rc: result === Result.Declined ? "05" : "00", auth: result === Result.Declined ? "" : "A" + (n % 100000), rrn: rrnOf(n, rand) };
  }
  if (pending.length && x < 0.7) return { t: "state", idx: pending[0]!.i, st: rand() < 0.8 ? "reversed" : "revcleared" };
  if (unprinted.length && x < 0.85) {
    const u = unprinted[0]!;
    if (rand() < 0.08) return { t: "state", idx: u.i, st: "revset" };
    return { t: "state", idx: u.i, st: "printed" };
  }
  const voidedSale = cur.find((c) => c.r.kind === Kind.Void && c.r.answer?.result === Result.Approved && c.r.st.printed);
  if (voidedSale) {
    const orig = m.recs.findIndex((o) => !!o && o.kind === Kind.Sale && o.invoice === voidedSale.r.invoice && !o.st.voided && o.batch === m.batch);
    if (orig >= 0 && rand() < 0.6) return { t: "state", idx: orig, st: "voided" };
  }
  const y = rand();
  if (voidable.length && y < 0.08) {
    const v = voidable[Math.floor(rand() * voidable.length)]!;
    return { t: "reserve", kind: Kind.Void, amount: v.r.amount, last4: v.r.last4, token: v.r.token, orig: v.i, time: 200000000 + n };
  }
  const kind = y < 0.7 ? Kind.Sale : y < 0.8 ? Kind.Refund : y < 0.9 ? Kind.Echo : y < 0.95 ? Kind.Logon : Kind.Advice;
  const tok = [n & 255, (n >> 8) & 255, 7, 7, 7, 7, 7, Math.floor(rand() * 256)];
  // a record time (seconds since 2020) or none (clock not trusted): both must read back
  const time = rand() < 0.2 ? undefined : 200000000 + n * 37;
  return { t: "reserve", kind, amount: 1 + Math.floor(rand() * 99999), last4: String(1000 + (n % 9000)), token: tok, time };
}

// ---- invariant checks ----------------------------------------------------------------------------------
/** ops whose call did not return: their effect may or may not be visible */
export interface InFlight { op: Op; next: Numbers; }

function touches(inflight: InFlight[], idx: number, what: string): boolean {
  return inflight.some((f) => (f.op.t === "state" && f.op.idx === idx && f.op.st === what) || (f.op.t === "answer" && f.op.idx === idx && what === "answer"));
}

const FLAG: { [k in StateName]: keyof JournalRecord } = {
  sent: "sent", printed: "printed", voided: "voided", uploaded: "uploaded", revset: "reversalSet", revcleared: "reversalCleared", reversed: "reversed",
};

/** returns the list of violations (empty when all invariants hold) */
export function check(j: Journal, m: Model, inflight: InFlight[], cuts: number, cutsInv = cuts): string[] {
  const bad: string[] = [];
  if (j.state !== "ok") return ["I5: journal not writable after recovery: " + j.reason];
  const recs = allRecords(j);
  const n = j.next();
  const closing = inflight.some((f) => f.op.t === "close");
  if (n.batch !== m.batch && !(closing && dist(m.batch, n.batch) === 1)) bad.push(`I1: batch ${n.batch}, expected ${m.batch}`);
  if (n.batch !== m.batch) m.batch = n.batch; // the cut close took effect: the old batch is settled
  const bySlot = new Map<number, JournalRecord>();
  const stans = new Set<number>();
  for (const r of recs) {
    if (stans.has(r.stan)) bad.push("I1: stan " + r.stan + " appears twice");
    stans.add(r.stan);
    bySlot.set(r.slot, r);
  }
  const known = new Set<string>();
  m.recs.forEach((mr, i) => {
    if (!mr) return;
    known.add(recKey(mr));
    let r = bySlot.get(mr.slot);
    // kept on flash: the open batch's money (sale, refund, void) and pending reversals; admin
    // frames carry only numbers, which every newer sector header carries too
    const money = mr.kind === Kind.Sale || mr.kind === Kind.Refund || mr.kind === Kind.Void;
    const required = (money && mr.batch === m.batch) || mPending(mr);
    if (r && r.stan !== mr.stan && !required) r = undefined; // its sector was erased and reused
    if (!r) { if (required) bad.push(`I3: record stan ${mr.stan} (slot ${mr.slot}) lost`); return; }
    if (r.kind !== mr.kind || r.stan !== mr.stan || r.invoice !== mr.invoice || r.batch !== mr.batch || r.amount !== mr.amount ||
      r.last4 !== mr.last4 || r.token.join() !== mr.token.join() || r.time !== mr.time) bad.push(`I3: record stan ${mr.stan} reads back different`);
    for (const st of Object.keys(FLAG) as StateName[]) {
      const have = !!r[FLAG[st]];
      if (mr.st[st] && !have) bad.push(`I3: stan ${mr.stan} lost state ${st}`);
      if (!mr.st[st] && have && !touches(inflight, i, st)) bad.push(`I3: stan ${mr.stan} has state ${st} never set`);
    }
    if (mr.answer) {
      if (r.result !== mr.answer.result || r.rc !== mr.answer.rc || r.authCode !== mr.answer.auth || r.rrn !== mr.answer.rrn) bad.push(`I3: stan ${mr.stan} answer lost or changed`);
    } else if (r.result) {
      const f = inflight.find((x) => x.op.t === "answer" && x.op.idx === i);
      if (!f || f.op.t !== "answer" || r.result !== f.op.result || r.authCode !== f.op.auth || r.rrn !== f.op.rrn) bad.push(`I3: stan ${mr.stan} has an answer never given`);
    }
    if (mPending(mr) && !r.reversalPending && !touches(inflight, i, "reversed") && !touches(inflight, i, "revcleared") && !touches(inflight, i, "answer")) {
      bad.push(`I6: pending reversal of stan ${mr.stan} lost`);
    }
  });
  for (const r of recs) {
    if (r.reversalPending && isArchived(m, recKey(r))) bad.push(`I6: settled stan ${r.stan} (slot ${r.slot}) pending a reversal again`);
    if (known.has(recKey(r)) || isArchived(m, recKey(r))) continue;
    const ok = inflight.some((x) => x.op.t === "reserve" && x.next.stan === r.stan && r.kind === x.op.kind && r.amount === x.op.amount);
    if (!ok) bad.push(`I3: phantom record stan ${r.stan} slot ${r.slot}`);
  }
  const ds = dist(m.lastStan, n.stan), di = dist(m.lastInv, n.invoice);
  if (ds < 1 || ds > 1 + cuts) bad.push(`I1/I2/I4: next stan ${n.stan} after last issued ${m.lastStan} (${cuts} cuts)`);
  if (di < 1 || di > 1 + cutsInv) bad.push(`I1/I2/I4: next invoice ${n.invoice} after last issued ${m.lastInv} (${cutsInv} cuts)`);
  return bad;
}

// ---- recovery work: what a terminal does after power-up ---------------------------------------------------
/** a sale after recovery: reserve, approved answer, printed; each call may be cut */
export function probeOps(m: Model, tag: number): Op[] {
  const idx = m.recs.length;
  return [
    { t: "reserve", kind: Kind.Sale, amount: 4242, last4: "4242", token: [9, 9, 9, 9, 9, 9, tag & 255, 1] },
    { t: "answer", idx, result: Result.Approved, rc: "00", auth: "PRB" + (tag % 1000), rrn: "999999999999" },
    { t: "state", idx, st: "printed" },
  ];
}

/** runs ops until one is cut; returns the in-flight op (or null when all returned) */
export function runOps(j: Journal, m: Model, ops: Op[]): InFlight | null {
  for (const op of ops) {
    const next = j.next();
    let cur: Op = op; // the call in progress when a cut fires
    try {
      if (!exec(j, m, op)) { // journal full after the cuts' skipped frames: settle, then go on
        cur = { t: "close" };
        if (!exec(j, m, cur)) throw new Error("journal full and cannot settle");
        cur = op;
        if (!exec(j, m, op)) throw new Error("journal full after settling");
      }
    } catch (e) {
      if (e instanceof PowerCutError) return { op: cur, next };
      throw e;
    }
  }
  return null;
}

// ---- the reference run ---------------------------------------------------------------------------------
export interface Step { op: Op; snap: NorSnapshot; model: Model; journal: Journal; ops: string[]; first: Numbers; }

/** a copy of a live journal bound to another flash (its fields are plain data) */
export function cloneJournal(j: Journal, flash: NorFlash): Journal {
  const c = Object.create(Object.getPrototypeOf(j));
  for (const k of Object.keys(j)) {
    const v = (j as any)[k];
    c[k] = v instanceof Uint8Array ? v.slice() : Array.isArray(v) ? v.slice() : v;
  }
  c.flash = flash;
  return c;
}

export interface Workload { steps: Step[]; final: Model; }

/** runs `count` ops on a fresh journal, remembering before each op everything a replay needs */
export function reference(reg: JournalRegion, count: number, seed: number, first: Numbers, keep = true): Workload {
  const flash = makeFlash(reg, seed);
  let j = open(flash, reg, first);
  const m: Model = { archived: new Map(), archSeq: 0, recs: [], lastStan: first.stan === 1 ? 999999 : first.stan - 1, lastInv: first.invoice === 1 ? 999999 : first.invoice - 1, batch: first.batch };
  const rand = rng(seed);
  const steps: Step[] = [];
  for (let n = 0; n < count; n++) {
    let op = chooseOp(m, rand, n);
    const snap = keep ? flash.snapshot() : (null as any);
    const model = keep ? cloneModel(m) : (null as any);
    const journal = keep ? cloneJournal(j, flash) : (null as any);
    flash.opLog = [];
    if (!exec(j, m, op)) { // journal full: settle
      flash.opLog = [];
      if (!exec(j, m, { t: "close" })) throw new Error("journal full and cannot close the batch");
      archive(m);
      if (op.t === "reserve") op = { t: "close" };
      else if (!exec(j, m, op)) throw new Error("journal full after settling");
    }
    if (op.t === "close") archive(m);
    steps.push({ op, snap, model, journal, ops: flash.opLog, first });
    flash.opLog = null;
  }
  return { steps, final: m };
}

export const PROGRAM_FAULTS: CutFault[] = [{ program: "clean" }, { program: "torn" }, { program: "weak" }];
export const ERASE_FAULTS: CutFault[] = [{ erase: "old" }, { erase: "zero" }, { erase: "mixed" }, { erase: "weakff" }, { erase: "done" }];

export interface CaseResult { cases: number; failures: string[]; }

/** one cut at op `at` of step s (fault f), recovery, checks, probe sale, checks */
export function cutCase(reg: JournalRegion, flash: NorFlash, s: Step, at: number, fault: CutFault, seed: number,
  second?: { at: number; fault: CutFault }): string[] {
  flash.restore(s.snap);
  flash.reseed(seed);
  const j0 = cloneJournal(s.journal, flash);
  const m = cloneModel(s.model);
  flash.armCut(flash.ops + at, fault);
  const first = runOps(j0, m, [s.op]);
  if (!first) return [`cut at op ${at} did not fire`];
  flash.powerOn();
  let j = open(flash, reg, s.first);
  const inflight = [first];
  let cuts = 1;
  const tag = at * 7 + 3;
  if (second) {
    flash.armCut(flash.ops + second.at, second.fault);
    const f2 = runOps(j, m, probeOps(m, tag));
    flash.disarm();
    if (f2) { inflight.push(f2); cuts = 2; }
    flash.powerOn();
    j = open(flash, reg, s.first);
  }
  const bad = check(j, m, inflight, cuts).map((b) => "after recovery: " + b);
  if (bad.length) return bad;
  const lastStan = m.lastStan;
  const probe = runOps(j, m, probeOps(m, tag + 1));
  if (probe) return ["probe was cut without an armed cut"];
  if (dist(lastStan, m.lastStan) < 1 || dist(lastStan, m.lastStan) > 1 + cuts) bad.push(`I1: probe stan ${m.lastStan} after ${lastStan}`);
  // the recovered journal must agree with a fresh boot of the same flash
  return bad.concat(check(j, m, inflight, cuts).map((b) => "after probe: " + b),
    check(open(flash, reg, s.first), m, inflight, cuts).map((b) => "after reboot: " + b));
}

/** counts the flash operations of the recovery work after a given first cut */
export function recoveryOps(reg: JournalRegion, flash: NorFlash, s: Step, at: number, fault: CutFault, seed: number): number {
  flash.restore(s.snap);
  flash.reseed(seed);
  const j0 = cloneJournal(s.journal, flash);
  const m = cloneModel(s.model);
  flash.armCut(flash.ops + at, fault);
  runOps(j0, m, [s.op]);
  flash.powerOn();
  const j = open(flash, reg, s.first);
  const before = flash.ops;
  runOps(j, m, probeOps(m, at * 7 + 3));
  return flash.ops - before;
}
