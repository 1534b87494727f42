// Transaction engine: the reversal lifecycle, store-and-forward and settlement of
// docs/host-protocol.md §3 on top of a HostStore (journal port) and a HostLink. Everything is
// injected, so the same code runs on the board, in mocha and in the simulator.
import { IsoMsg, digits } from "./iso8583";
import { HostLink, LinkErr, LinkError } from "./link";
import {
  PC_REFUND, PC_SALE, PC_VOID, PC_VOID_REFUND, batchTotals, buildAdvice, buildEcho, buildLogon,
  buildPayment, buildReversal, buildSettlement, buildUpload, buildVoid, rcOf, textOf,
} from "./messages";
import { Cb, EngineIo, HostError, StanPurpose, HostSettings, HostStore, Outcome, PaymentRequest, TxnResult } from "./types";
import { Brand, SettleResult, TxnKind, TxnRecord, TxnState } from "../txn";

export interface EngineOptions {
  store: HostStore;
  link: HostLink;
  settings: HostSettings;
  io: EngineIo;
  /** response timeout for financial messages (settlement gets 1.5x); default 30 s */
  responseTimeoutMs?: number;
  /** 0400 attempts before giving up for this call; default 3 */
  reversalAttempts?: number;
  /** 0220 attempts per advice per flush; default 5; back-off 1 s doubling, cap 30 s */
  adviceAttempts?: number;
}

export interface AdminResult { ok: boolean; outcome: string; rc: string; stan: number; }

export interface Engine {
  sale(req: PaymentRequest, cb: Cb<TxnResult>): void;
  refund(req: PaymentRequest, cb: Cb<TxnResult>): void;
  voidByInvoice(invoice: number, cb: Cb<TxnResult>): void;
  settle(cb: Cb<SettleResult>): void;
  /** extra: more elements for the 0800 (the health message: DE 48 and 70, docs/health.md) */
  echo(cb: Cb<AdminResult>, extra?: { [de: number]: string }): void;
  logon(cb: Cb<AdminResult>): void;
  flush(cb: Cb<{ reversalPending: boolean; advices: number }>): void;
  pendingWork(): { reversal: boolean; advices: number };
  onStatus(fn: (text: string) => void): void;
}

function herr(code: string, message: string): HostError { return { code: code, message: message }; }

/** two ASCII digits other than the ones with a meaning of their own */
function isDecline(rc: string): boolean {
  if (rc.length !== 2) return false;
  var a = rc.charCodeAt(0), b = rc.charCodeAt(1);
  return a >= 48 && a <= 57 && b >= 48 && b <= 57 && rc !== "00" && rc !== "94";
}

/** the records a batch upload (0320) sends: approved sales and refunds */
function uploads(r: TxnRecord): boolean { return r.state === TxnState.APPROVED && r.kind !== TxnKind.VOID; }

function outcomeOf(e: LinkError): Outcome {
  if (e.code === LinkErr.NOT_SENT) return Outcome.NOT_SENT;
  if (e.code === LinkErr.BAD_RESPONSE) return Outcome.BAD_RESPONSE;
  return Outcome.NO_RESPONSE;
}

export function createEngine(o: EngineOptions): Engine {
  var store = o.store, link = o.link, s = o.settings, io = o.io;
  var responseMs = o.responseTimeoutMs || 30000;
  var reversalAttempts = o.reversalAttempts || 3;
  var adviceAttempts = o.adviceAttempts || 5;
  var busy = false;
  var statusFn: (t: string) => void = function () {};
  link.onStatus(function (t) { statusFn(t); });

  function status(t: string): void { statusFn(t); }

  /** runs one engine operation at a time; `done` releases the engine then calls back */
  function exclusive<T>(cb: Cb<T>, body: (done: Cb<T>) => void): void {
    if (busy) { cb(herr("BUSY", "engine busy")); return; }
    busy = true;
    body(function (err, v) { busy = false; cb(err, v); });
  }

  /** the record itself (the store's copy), told how the exchange ended: no other object */
  function result(rec: TxnRecord, outcome: Outcome): TxnResult {
    var r = rec as TxnResult;
    r.approved = outcome === Outcome.APPROVED;
    r.outcome = outcome;
    return r;
  }

  // ---- reversal ----

  /** Sends the pending 0400 (same STAN) until 0410 "00" or `attempts` failures; cb(cleared). */
  function clearReversal(attempts: number, cb: (cleared: boolean, err?: HostError) => void): void {
    var rev = store.pendingReversal();
    if (!rev) { cb(true); return; }
    var r = rev;
    status("REVERSAL");
    link.exchange(buildReversal(r, s), responseMs, function (lerr, resp) {
      if (!lerr && resp && rcOf(resp) === "00") {
        store.update(r.stan, { state: TxnState.REVERSED, reversalPending: false }, function (err) {
          if (err) cb(false, err); else clearReversal(reversalAttempts, cb); // at most one, but re-check
        });
        return;
      }
      if (attempts > 1 && !(lerr && lerr.code === LinkErr.NOT_SENT)) clearReversal(attempts - 1, cb);
      else cb(false);
    });
  }

  // ---- store-and-forward ----

  /** Sends pending advices: at most `max` of them; each gets up to `tries` transmissions
   *  (new STAN each) with doubling back-off. cb(remaining, err) */
  function sendAdvices(max: number, tries: number, cb: (remaining: number, err?: HostError) => void): void {
    var rec = store.nextAdvice();
    if (!rec || max <= 0) { cb(rec ? store.adviceCount() : 0); return; }
    var attempt = 0, delay = 1000;
    function tryOnce(): void {
      attempt++;
      status("ADVICE");
      store.allocStan("ADVICE", function (err, stan) {
        if (err) { cb(store.adviceCount(), err); return; }
        link.exchange(buildAdvice(rec!, stan!, s), responseMs, function (lerr, resp) {
          if (!lerr && resp && rcOf(resp) === "00") {
            store.update(rec!.stan, { advicePending: false }, function (uerr) {
              if (uerr) cb(store.adviceCount(), uerr); else sendAdvices(max - 1, tries, cb);
            });
            return;
          }
          if (attempt >= tries) { cb(store.adviceCount()); return; }
          io.setTimeout(tryOnce, delay);
          delay = Math.min(delay * 2, 30000);
        });
      });
    }
    tryOnce();
  }

  /** after an online exchange: trickle one advice, one attempt, never fails the caller */
  function trickle(then: () => void): void {
    if (!store.nextAdvice()) { then(); return; }
    sendAdvices(1, 1, function () { then(); });
  }

  // ---- online financial transaction ----

  function draft(kind: TxnKind, procCode: string, amount: number, entryMode: string, brand: Brand, token: string, last4: string): TxnRecord {
    var t = io.now();
    return {
      slot: -1, kind: kind, state: TxnState.PENDING, stan: 0, invoice: 0, batch: 0, amount: amount,
      entryMode: entryMode, brand: brand, last4: last4, token: token, date: t.date, time: t.time, when: t.when === undefined ? -1 : t.when, procCode: procCode,
      rc: "", authCode: "", rrn: "", reversalPending: kind !== TxnKind.OFFLINE,
      advicePending: kind === TxnKind.OFFLINE, origInvoice: 0,
    };
  }

  /** The reversal-safe exchange of one reversible request. `build` makes the request from
   *  the committed record (card data lives only inside that closure). */
  function online(d: TxnRecord, build: (rec: TxnRecord) => IsoMsg, retryOn94: boolean, cb: Cb<TxnResult>): void {
    clearReversal(reversalAttempts, function (cleared, jerr) {
      if (jerr) { cb(jerr); return; }
      if (!cleared) {
        d.reversalPending = false;
        cb(null, result(d, Outcome.REVERSAL_PENDING));
        return;
      }
      status("SAVING");
      store.begin(d, function (err, rec) {
        if (err || !rec) { cb(err || herr("JOURNAL", "begin failed")); return; }
        var req = build(rec);
        link.exchange(req, responseMs, function (lerr, resp) {
          // an answer to a request without DE 12/13 carries the host's clock (firmware/clock.ts)
          if (!lerr && resp && io.hostTime && req.f[12] === undefined && resp.f[12] !== undefined) io.hostTime(textOf(resp, 13), textOf(resp, 12));
          req = null as any; // drop the card data with the request
          if (lerr || !resp) { failed(rec, lerr!, cb); return; }
          answered(rec, resp, retryOn94 ? function () {
            status("RETRY");
            online(d, build, false, cb);
          } : null, cb);
        });
      });
    });
  }

  /** The request may or may not have reached the host. */
  function failed(rec: TxnRecord, lerr: LinkError, cb: Cb<TxnResult>): void {
    if (lerr.code === LinkErr.NOT_SENT) {
      store.update(rec.stan, { state: TxnState.NOT_SENT, reversalPending: false }, function (err, r) {
        if (err) cb(err); else cb(null, result(r!, Outcome.NOT_SENT));
      });
      return;
    }
    // kept pending; try to reverse right away, else the next host message will
    clearReversal(1, function (_cleared, err) {
      if (err) { cb(err); return; }
      var now = store.pendingReversal();
      rec.reversalPending = !!now && now.stan === rec.stan;
      cb(null, result(rec, outcomeOf(lerr)));
    });
  }

  function answered(rec: TxnRecord, resp: IsoMsg, retry: (() => void) | null, cb: Cb<TxnResult>): void {
    var rc = rcOf(resp);
    if (rc === "00") {
      var auth = textOf(resp, 38);
      var amt = resp.f[4];
      if (!auth || (amt !== undefined && amt !== digits(rec.amount, 12))) {
        failed(rec, { code: LinkErr.BAD_RESPONSE, message: "approved but invalid" }, cb);
        return;
      }
      store.update(rec.stan, {
        state: TxnState.APPROVED, rc: rc, authCode: auth, rrn: textOf(resp, 37), reversalPending: false,
      }, function (err, r) {
        if (err) { cb(err); return; }
        trickle(function () { cb(null, result(r!, Outcome.APPROVED)); });
      });
      return;
    }
    if (rc === "94" || isDecline(rc)) {
      // declined: nothing to reverse. 94: the host did not process it, and a 0400 with this
      // STAN would hit the earlier message that owns it.
      store.update(rec.stan, { state: TxnState.DECLINED, rc: rc, reversalPending: false }, function (err, r) {
        if (err) { cb(err); return; }
        if (rc === "94" && retry) { retry(); return; }
        trickle(function () { cb(null, result(r!, Outcome.DECLINED)); });
      });
      return;
    }
    rec.rc = rc;
    failed(rec, { code: LinkErr.BAD_RESPONSE, message: "unknown response code '" + rc + "'" }, cb);
  }

  function checkRequest(req: PaymentRequest): HostError | null {
    if (!req || typeof req.amount !== "number" || req.amount <= 0 || req.amount % 1 !== 0 || req.amount > 999999999999) {
      return herr("BAD_REQUEST", "amount must be a positive integer in minor units");
    }
    if (!req.card || !(req.card.pan || req.card.track2)) return herr("BAD_REQUEST", "no card data");
    return null;
  }

  function payment(kind: TxnKind, procCode: string, req: PaymentRequest, cb: Cb<TxnResult>): void {
    var bad = checkRequest(req);
    if (bad) { cb(bad); return; }
    exclusive(cb, function (done) {
      var card = req.card;
      var floor = s.floorLimit || 0, brand = card.brand || Brand.Unknown;
      if (kind === TxnKind.SALE && floor > 0 && req.amount <= floor) {
        offline(draft(TxnKind.OFFLINE, PC_SALE, req.amount, card.entryMode, brand, req.token, req.last4), done);
        return;
      }
      var d = draft(kind, procCode, req.amount, card.entryMode, brand, req.token, req.last4);
      online(d, function (rec) { return buildPayment(rec, card, s); }, true, function (err, r) {
        card = null as any;
        done(err, r);
      });
    });
  }

  /** below the floor limit: approve locally, journal, queue the 0220 */
  function offline(d: TxnRecord, cb: Cb<TxnResult>): void {
    store.begin(d, function (err, rec) {
      if (err || !rec) { cb(err || herr("JOURNAL", "begin failed")); return; }
      store.update(rec.stan, { state: TxnState.APPROVED, rc: "00", authCode: "Y1" + digits(rec.stan % 10000, 4) }, function (uerr, r) {
        if (uerr) cb(uerr); else cb(null, result(r!, Outcome.APPROVED));
      });
    });
  }

  function voidByInvoice(invoice: number, cb: Cb<TxnResult>): void {
    var orig = store.findByInvoice(invoice);
    if (!orig || orig.state !== TxnState.APPROVED || orig.kind === TxnKind.VOID) {
      cb(herr("NOT_FOUND", "no approved transaction with invoice " + invoice + " in this batch"));
      return;
    }
    if (orig.advicePending) { cb(herr("BAD_REQUEST", "offline sale not yet advised; settle or retry later")); return; }
    var o0 = orig;
    exclusive(cb, function (done) {
      var d = draft(TxnKind.VOID, o0.kind === TxnKind.REFUND ? PC_VOID_REFUND : PC_VOID, o0.amount, o0.entryMode, o0.brand, o0.token, o0.last4);
      d.origInvoice = o0.invoice;
      online(d, function (rec) { return buildVoid(rec, o0, s); }, true, done);
    });
  }

  // ---- settlement ----

  function settle(cb: Cb<SettleResult>): void {
    exclusive(cb, function (done) {
      var batch = store.currentBatch();
      var t = batchTotals(store);
      var res: SettleResult = { approved: false, outcome: "", rc: "", batch: batch, uploaded: 0, totals: t };
      function end(outcome: string, rc: string, err?: HostError): void {
        res.outcome = outcome; res.rc = rc;
        if (err) done(err); else done(null, res);
      }
      function close(rc: string): void {
        store.closeBatch(function (err) {
          if (err) { end("", rc, err); return; }
          res.approved = true;
          end(Outcome.APPROVED, rc);
        });
      }
      function upload(): void {
        // one record at a time: the batch is walked on flash, never collected
        var total = 0, i = 0, at = -1;
        store.eachRecord(function (r) { if (uploads(r)) total++; });
        function next(): void {
          var rec = store.recordAfter(at);
          while (rec && !uploads(rec)) rec = store.recordAfter(rec.slot);
          if (!rec) { finalSettle(); return; }
          var cur = rec;
          at = cur.slot;
          status("UPLOAD " + (++i) + "/" + total);
          admin("UPLOAD", function (stan) { return buildUpload(cur, stan, s); }, responseMs, function (err, r) {
            if (err) { end("", "", err); return; }
            if (!r!.ok) { end(r!.outcome || "UPLOAD_FAILED", r!.rc); return; }
            res.uploaded++;
            next();
          });
        }
        next();
      }
      function finalSettle(): void {
        status("SETTLEMENT");
        admin("SETTLE", function (stan) { return buildSettlement(stan, batch, t, true, s); }, responseMs * 3 / 2, function (err, r) {
          if (err) { end("", "", err); return; }
          if (!r!.ok) { end(r!.outcome, r!.rc); return; }
          close(r!.rc);
        });
      }
      // the functions above are defined before use (no hoisting on Espruino)
      clearReversal(reversalAttempts, function (cleared, jerr) {
        if (jerr || !cleared) { end(Outcome.REVERSAL_PENDING, "", jerr); return; }
        sendAdvices(1000, adviceAttempts, function (left, aerr) {
          if (aerr || left) { end("ADVICE_PENDING", "", aerr); return; }
          // advices may have changed the records: recompute
          res.totals = t = batchTotals(store);
          status("SETTLEMENT");
          admin("SETTLE", function (stan) { return buildSettlement(stan, batch, t, false, s); }, responseMs * 3 / 2, function (err, r) {
            if (err) { end("", "", err); return; }
            if (!r!.ok && r!.rc === "95") { upload(); return; }
            if (!r!.ok) { end(r!.outcome, r!.rc); return; }
            close(r!.rc);
          });
        });
      });
    });
  }

  /** one non-reversible message with a fresh STAN; ok = RC 00 */
  function admin(purpose: StanPurpose, build: (stan: number) => IsoMsg, timeoutMs: number, cb: Cb<AdminResult>): void {
    store.allocStan(purpose, function (err, stan) {
      if (err) { cb(err); return; }
      var req = build(stan!);
      link.exchange(req, timeoutMs, function (lerr, resp) {
        if (lerr || !resp) { cb(null, { ok: false, outcome: outcomeOf(lerr!), rc: "", stan: stan! }); return; }
        if (io.hostTime && req.f[12] === undefined && resp.f[12] !== undefined) io.hostTime(textOf(resp, 13), textOf(resp, 12)); // as in online()
        var rc = rcOf(resp);
        cb(null, { ok: rc === "00", outcome: rc === "00" ? Outcome.APPROVED : Outcome.DECLINED, rc: rc, stan: stan! });
      });
    });
  }

  function network(purpose: StanPurpose, build: (stan: number) => IsoMsg, cb: Cb<AdminResult>): void {
    exclusive(cb, function (done) {
      clearReversal(reversalAttempts, function (cleared, jerr) {
        if (jerr) { done(jerr); return; }
        if (!cleared) { done(null, { ok: false, outcome: Outcome.REVERSAL_PENDING, rc: "", stan: 0 }); return; }
        admin(purpose, build, responseMs, done);
      });
    });
  }

  return {
    sale: function (req, cb) { payment(TxnKind.SALE, PC_SALE, req, cb); },
    refund: function (req, cb) { payment(TxnKind.REFUND, PC_REFUND, req, cb); },
    voidByInvoice: voidByInvoice,
    settle: settle,
    echo: function (cb, extra) {
      network("ECHO", function (stan) {
        var m = buildEcho(stan, s);
        if (extra) for (var de in extra) m.f[de as any] = extra[de as any]!;
        return m;
      }, cb);
    },
    logon: function (cb) { network("LOGON", function (stan) { return buildLogon(stan, s); }, cb); },
    flush: function (cb) {
      exclusive(cb, function (done) {
        clearReversal(reversalAttempts, function (cleared, jerr) {
          if (jerr) { done(jerr); return; }
          if (!cleared) { done(null, { reversalPending: true, advices: store.adviceCount() }); return; }
          sendAdvices(1000, adviceAttempts, function (left, aerr) {
            if (aerr) done(aerr); else done(null, { reversalPending: false, advices: left });
          });
        });
      });
    },
    pendingWork: function () {
      return { reversal: !!store.pendingReversal(), advices: store.adviceCount() };
    },
    onStatus: function (fn) { statusFn = fn; },
  };
}
