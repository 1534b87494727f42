// CardsPort over the card service (firmware/cards, docs/cards.md). The service calls back
// once per start(); a failed read is reported and the flow asks again. The service's own
// card object is wiped as soon as its fields are copied into the one request, with the entry
// mode (DE 22) and card type every record of it keeps.
import { CardsPort, AppError, appError } from "../ports";
import { CardEvent, CardError, CardService } from "../../cards/types";
import { CardData, EntryMode, brandOf } from "../../txn";

export interface CardsHub {
  port: CardsPort;
  /** give these to createCardService */
  onCard: (card: CardEvent) => void;
  onError: (err: CardError) => void;
  /** set once the service exists */
  attach(service: CardService): void;
}

export function cardsHub(): CardsHub {
  var service: CardService | null = null;
  var waiting: ((c: CardData) => void) | null = null;
  var problem: ((err: AppError) => void) | null = null;
  var amountNow = 0;
  var hub: CardsHub = {
    port: {
      read: function (amount, cb, onProblem) {
        waiting = cb;
        problem = onProblem;
        amountNow = amount;
        if (service) service.start(amount);
        else onProblem(appError("READER_FAULT", "No card reader"));
      },
      cancel: function () { waiting = null; problem = null; if (service) service.stop(); },
    },
    onCard: function (ev) {
      var cb = waiting;
      if (!cb) { if (service) service.wipe(ev); return; }
      if (!ev.pan) {
        // a non-payment tap: the service takes one card per start(), so listen again
        if (service) { service.wipe(ev); service.start(amountNow); }
        if (problem) problem(appError("CARD_ERROR", "Not a payment card"));
        return;
      }
      waiting = null;
      problem = null;
      var card: CardData = { pan: ev.pan, expiry: ev.expiry, track2: ev.track2,
        entryMode: ev.source === "tap" ? EntryMode.Tap : EntryMode.Swipe, brand: brandOf(ev.pan) };
      if (service) service.wipe(ev);
      cb(card);
    },
    onError: function (e) {
      // the service keeps listening after a failed read
      if (problem) problem(appError(e.code, e.message));
    },
    attach: function (s) { service = s; },
  };
  return hub;
}
