// CardsPort over the card service (firmware/cards, docs/cards.md). The service calls back
// once per start(); a failed read is reported and the flow asks again. The service's own
// card object is wiped as soon as its fields are copied into the one request.
import { CardsPort, CardData, AppError, appError } from "../ports";
import { CardEvent, CardError, CardService } from "../../cards/types";

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
  var waiting: ((err: AppError | null, card?: CardData) => void) | null = null;
  var hub: CardsHub = {
    port: {
      read: function (amount, cb) {
        waiting = cb;
        if (service) service.start(amount);
        else { waiting = null; cb(appError("READER_FAULT", "No card reader")); }
      },
      cancel: function () { waiting = null; if (service) service.stop(); },
    },
    onCard: function (ev) {
      var cb = waiting;
      waiting = null;
      if (!cb) { if (service) service.wipe(ev); return; }
      if (!ev.pan) { if (service) service.wipe(ev); cb(appError("CARD_ERROR", "Not a payment card")); return; }
      var card: CardData = { pan: ev.pan, expiry: ev.expiry, track2: ev.track2, entry: ev.source };
      if (service) service.wipe(ev);
      cb(null, card);
    },
    onError: function (e) {
      var cb = waiting;
      waiting = null;
      if (cb) cb(appError(e.code, e.message));
    },
    attach: function (s) { service = s; },
  };
  return hub;
}
