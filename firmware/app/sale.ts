// Card transactions: amount entry -> present card -> processing -> approved/declined ->
// receipt(s) -> idle, for sale and refund; void by invoice number. The host engine assigns
// STAN/invoice/batch from the journal and handles the reversal; this file decides screens.
import { App, State, screen, isDigitKey, message, confirm, busy, numberEntry } from "./flow";
import { AppError } from "./ports";
import { CardData, TxnKind, TxnRecord, TxnState } from "../txn";
import { formatAmount, parseDigits } from "../util/money";
import { maskedPan } from "../util/mask";
import { tokenizePan } from "./token";
import { printReceipt } from "./printing";
import { AuditEvent } from "../audit/format";

export const CARD_TIMEOUT = 30;

/** Amount entry; `first` is the digit that woke the idle screen, if any. */
export function amountEntry(app: App, kind: TxnKind, first?: string): State {
  var digits = first && first !== "0" && first !== "00" ? first : "";
  var error = "";
  var s: State = {
    name: "amount", timeout: 30,
    screen: function () {
      var v = digits.length ? parseDigits(digits) : 0;
      var lines = ["Amount:", formatAmount(v)];
      if (error) lines.push(error);
      return screen(kind, lines, "ENTER=ok CLEAR=del");
    },
    key: function (k) {
      if (k === "CANCEL") { app.idle(); return; }
      if (k === "CLEAR") { digits = digits.substr(0, digits.length ? digits.length - 1 : 0); error = ""; app.render(); return; }
      if (k === "ENTER") { submit(); return; }
      if (isDigitKey(k)) {
        if (!digits.length && k.charAt(0) === "0") return;
        if (digits.length + k.length > 9) { error = "Too many digits"; app.render(); return; }
        digits += k; error = ""; app.render();
      }
    },
  };
  function submit(): void {
    var v = digits.length ? parseDigits(digits) : 0;
    var lim = app.settings.values;
    if (v < lim.minAmount) { error = "Min " + formatAmount(lim.minAmount); app.render(); return; }
    if (v > lim.maxAmount) { error = "Max " + formatAmount(lim.maxAmount); app.render(); return; }
    if (kind === TxnKind.REFUND) {
      app.go(confirm(app, "REFUND?", ["Refund " + formatAmount(v), "to the card?"], function () { app.go(presentCard(app, kind, v)); }));
    } else {
      app.go(presentCard(app, kind, v));
    }
  }
  return s;
}

/** Waits for a swipe or a tap; a bad read asks again, CANCEL/timeout stop the reader. */
export function presentCard(app: App, kind: TxnKind, amount: number): State {
  var note = "";
  var cards = app.ports.cards;
  var s: State = {
    name: "card", timeout: CARD_TIMEOUT,
    screen: function () {
      return screen(kind, [formatAmount(amount), note || "Swipe or tap card"], "CANCEL=stop");
    },
    enter: function () {
      cards.read(amount, function (card) {
        if (app.isCurrent(s)) process(app, kind, amount, card);
      }, function (err) {
        if (!app.isCurrent(s)) return;
        note = err.message;
        app.render();
      });
    },
    leave: function () { cards.cancel(); },
    key: function (k) { if (k === "CANCEL") app.idle(); },
  };
  return s;
}

/** the card data of one request is dropped once the host answered (track data, expiry too) */
function wipeCard(card: CardData): void {
  card.pan = ""; card.track2 = ""; card.expiry = "";
  if (card.icc) { card.icc.fill(0); card.icc = undefined; }
}

/** Tokenise, then hand to the host engine; the card data lives only in this call chain. */
function process(app: App, kind: TxnKind, amount: number, card: CardData): void {
  var tok;
  try {
    tok = tokenizePan(app.ports.sha256, app.settings.values.deviceKey, card.pan || "");
  } catch (e) {
    wipeCard(card);
    app.go(message(app, "ERROR", ["Cannot tokenise card"], 10));
    return;
  }
  var s = busy(app, kind, "Processing...");
  app.go(s);
  app.ports.host.financial({ kind: kind, amount: amount, card: card, token: tok.token, last4: tok.last4 }, function (err, txn) {
    wipeCard(card);
    if (app.isCurrent(s)) result(app, err, txn);
  });
}

/** Approved -> receipts; declined/no response -> message. */
export function result(app: App, err: AppError | null, txn?: TxnRecord): void {
  if (err || !txn) {
    var e = err || { code: "HOST_ERROR", message: "No result" };
    if (e.code === "NO_RESPONSE") {
      app.go(message(app, "NO RESPONSE", ["Not charged:", "reversal pending", e.message], 15));
    } else if (e.code === "NO_LINK") {
      app.go(message(app, "NO CONNECTION", ["Not sent:", e.message], 15));
    } else if (e.code === "JOURNAL") {
      app.go(message(app, "NOT SENT", ["Journal: " + e.message, "Settle the batch", "or call support"], 15));
    } else {
      app.go(message(app, "HOST ERROR", [e.message], 15));
    }
    return;
  }
  if (txn.state !== TxnState.APPROVED) {
    app.go(message(app, "DECLINED", [txn.kind + " " + formatAmount(txn.amount), "RC " + txn.rc, "STAN " + txn.stan], 15));
    return;
  }
  if (app.ports.audit && (txn.kind === TxnKind.VOID || txn.kind === TxnKind.REFUND)) app.ports.audit.append(txn.kind === TxnKind.VOID ? AuditEvent.Void : AuditEvent.Refund, app.who, txn.invoice, txn.amount);
  receipts(app, txn);
}

/** Merchant copy (journal-tracked), then the customer copy on ENTER. */
export function receipts(app: App, txn: TxnRecord): void {
  var head = ["APPROVED " + txn.authCode, formatAmount(txn.amount) + " INV " + txn.invoice];
  printReceipt(app, txn, "merchant", false, head, function () {
    var s: State = {
      name: "customer-copy", timeout: 30,
      screen: function () { return screen("APPROVED", head.concat(["Customer copy?"]), "ENTER=print CANCEL=no"); },
      key: function (k) {
        if (k === "ENTER") printReceipt(app, txn, "customer", false, head, function () { app.idle(); });
        else if (k === "CANCEL") app.idle();
      },
    };
    app.go(s);
  });
}

/** VOID: invoice number -> confirm -> host. (The PIN was asked by the menu.) */
export function voidEntry(app: App): State {
  return numberEntry(app, {
    title: "VOID", prompt: "Invoice no:", maxDigits: 6,
    done: function (d) {
      var inv = parseDigits(d);
      var t = app.ports.journal.byInvoice(inv);
      if (!t) return "Not found";
      if (t.state === TxnState.VOIDED) return "Already voided";
      if (t.kind === TxnKind.VOID || t.state !== TxnState.APPROVED) return "Not approved";
      var orig = t;
      app.go(confirm(app, "VOID?", ["INV " + orig.invoice + " " + formatAmount(orig.amount), maskedPan(orig.last4)], function () {
        var s = busy(app, "VOID", "Processing...");
        app.go(s);
        app.ports.host.financial({ kind: TxnKind.VOID, amount: orig.amount, invoice: orig.invoice, last4: orig.last4 }, function (err, txn) {
          if (app.isCurrent(s)) result(app, err, txn);
        });
      }));
      return null;
    },
  });
}
