// HostPort over the host engine (firmware/host, docs/host-protocol.md §2). Outcomes become
// what the flow shows: APPROVED/DECLINED -> the record itself; NOT_SENT -> NO_LINK (nothing
// left the terminal); NO_RESPONSE/BAD_RESPONSE -> NO_RESPONSE (reversal pending);
// REVERSAL_PENDING -> NO_LINK (an older reversal blocks the link, this one was not sent).
// The request and the records pass through as they are: the card data stays in the flow's
// one object (which the flow wipes when the engine answers), the engine's record and its
// settlement result reach the flow unconverted.
import { HostPort, AppError, appError } from "../ports";
import { TxnResult, PaymentRequest, HostError } from "../../host/types";
import { Engine, AdminResult } from "../../host/engine";
import { TxnKind, TxnRecord } from "../../txn";

function outcomeError(r: TxnResult): AppError | null {
  var o = r.outcome as string;
  if (o === "APPROVED" || o === "DECLINED") return null;
  if (o === "NOT_SENT") return appError("NO_LINK", "Host unreachable");
  if (o === "REVERSAL_PENDING") return appError("NO_LINK", "Reversal undelivered");
  return appError("NO_RESPONSE", o === "BAD_RESPONSE" ? "Bad reply" : "Timeout");
}

export function hostPort(engine: Engine): HostPort {
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
      // No echo at boot just to set the clock: the first answer of the power-up sets it (a
      // logon, an echo, the first sale's 0210: firmware/clock.ts). An exchange at boot whose
      // host is unreachable held 200-350 JsVars on the twin (docs/time.md)
      var sync = function (err: AppError | null): void { cb(err); };
      if (!w.reversal && !w.advices) { sync(null); return; }
      engine.flush(function (err, r) {
        if (err) { cb(appError("HOST_ERROR", err.message)); return; }
        sync(r && r.reversalPending ? appError("NO_LINK", "Reversal still pending") : null);
      });
    },
    financial: function (req, cb) {
      var done = function (err: HostError | null, r?: TxnResult): void {
        if (err || !r) { cb(appError(err && err.code === "JOURNAL" ? "JOURNAL" : "HOST_ERROR", err ? err.message : "no result")); return; }
        var e = outcomeError(r);
        if (e) cb(e); else cb(null, r as TxnRecord);
      };
      if (req.kind === TxnKind.VOID) engine.voidByInvoice(req.invoice || 0, done);
      else if (!req.card) cb(appError("HOST_ERROR", "no card"));
      else if (req.kind === TxnKind.REFUND) engine.refund(req as PaymentRequest, done);
      else engine.sale(req as PaymentRequest, done);
    },
    settle: function (cb) {
      engine.settle(function (err, r) {
        if (err || !r) cb(appError("HOST_ERROR", err ? err.message : "no result"));
        else cb(null, r);
      });
    },
    // the engine's methods are closures (no `this`): handed on as they are, no wrapper each
    onStatus: engine.onStatus,
    pendingWork: engine.pendingWork,
    echo: function (cb) { check(function (c) { engine.echo(c); }, cb); },
    logon: function (cb) { check(function (c) { engine.logon(c); }, cb); },
  };
}
