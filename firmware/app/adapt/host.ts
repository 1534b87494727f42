// HostPort over the host engine (firmware/host, docs/host-protocol.md §2). Outcomes become
// what the flow shows: APPROVED/DECLINED -> a TxnInfo; NOT_SENT -> NO_LINK (nothing left
// the terminal); NO_RESPONSE/BAD_RESPONSE -> NO_RESPONSE (reversal pending);
// REVERSAL_PENDING -> NO_LINK (an older reversal blocks the link, this one was not sent).
import { HostPort, TxnInfo, TxnKind, AppError, SettleResult, appError } from "../ports";
import { TxnResult, PaymentRequest, HostError } from "../../host/types";
import { Engine, AdminResult } from "../../host/engine";

export function kindOf(k: string): TxnKind {
  return k === "REFUND" ? "refund" : k === "VOID" ? "void" : "sale";
}

export function txnInfo(r: TxnResult): TxnInfo {
  return {
    kind: kindOf(r.kind), amount: r.amount, stan: r.stan, invoice: r.invoice, batch: r.batch,
    last4: r.last4, entry: "", approved: r.approved, rc: r.rc, authCode: r.authCode, rrn: r.rrn,
    date: r.date, time: r.time, voided: false,
  };
}

function outcomeError(r: TxnResult): AppError | null {
  var o = r.outcome as string;
  if (o === "APPROVED" || o === "DECLINED") return null;
  if (o === "NOT_SENT") return appError("NO_LINK", "Host unreachable");
  if (o === "REVERSAL_PENDING") return appError("NO_LINK", "Reversal undelivered");
  return appError("NO_RESPONSE", o === "BAD_RESPONSE" ? "Bad reply" : "Timeout");
}

export function hostPort(engine: Engine): HostPort {
  var txnDone = function (cb: (err: AppError | null, t?: TxnInfo) => void) {
    return function (err: HostError | null, r?: TxnResult) {
      if (err || !r) { cb(appError(err && err.code === "JOURNAL" ? "JOURNAL" : "HOST_ERROR", err ? err.message : "no result")); return; }
      var e = outcomeError(r);
      if (e) cb(e); else cb(null, txnInfo(r));
    };
  };
  var check = function (call: (cb: (err: HostError | null, r?: AdminResult) => void) => void, cb: (err: AppError | null, rc?: string) => void) {
    call(function (err, r) {
      if (err || !r) { cb(appError("HOST_ERROR", err ? err.message : "no result")); return; }
      if (!r.rc) { cb(appError(r.outcome === "NOT_SENT" ? "NO_LINK" : "NO_RESPONSE", r.outcome)); return; }
      cb(null, r.rc);
    });
  };
  return {
    boot: function (cb) {
      var w = engine.pendingWork();
      if (!w.reversal && !w.advices) { cb(null); return; }
      engine.flush(function (err, r) {
        if (err) { cb(appError("HOST_ERROR", err.message)); return; }
        cb(r && r.reversalPending ? appError("NO_LINK", "Reversal still pending") : null);
      });
    },
    financial: function (req, cb) {
      if (req.kind === "void") { engine.voidByInvoice(req.invoice || 0, txnDone(cb)); return; }
      var card = req.card;
      if (!card) { cb(appError("HOST_ERROR", "no card")); return; }
      var p: PaymentRequest = {
        amount: req.amount, token: req.token || "", last4: req.last4 || "",
        card: { pan: card.pan, track2: card.track2, expiry: card.expiry, entryMode: card.entry === "tap" ? "071" : "021", icc: card.icc },
      };
      var done = txnDone(cb);
      var answered = function (err: HostError | null, r?: TxnResult): void {
        var c = p.card; // this copy of the card data ends with the request too
        c.pan = ""; c.track2 = ""; c.expiry = ""; c.icc = undefined;
        done(err, r);
      };
      if (req.kind === "refund") engine.refund(p, answered); else engine.sale(p, answered);
    },
    settle: function (cb) {
      engine.settle(function (err, r) {
        if (err || !r) { cb(appError("HOST_ERROR", err ? err.message : "no result")); return; }
        var res: SettleResult = {
          approved: r.ok, rc: r.rc || r.outcome, batch: r.batch, uploaded: r.uploaded > 0,
          totals: { saleCount: r.sales.count, saleAmount: r.sales.amount, refundCount: r.refunds.count, refundAmount: r.refunds.amount, voidCount: 0, voidAmount: 0 },
        };
        cb(null, res);
      });
    },
    // the engine's methods are closures (no `this`): handed on as they are, no wrapper each
    onStatus: engine.onStatus,
    pendingWork: engine.pendingWork,
    echo: function (cb) { check(function (c) { engine.echo(c); }, cb); },
    logon: function (cb) { check(function (c) { engine.logon(c); }, cb); },
  };
}
