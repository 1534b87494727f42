// The card service: listens on the magstripe and NFC readers and hands the application one
// kind of event per start() (a swipe or a tap). Card data lives in RAM only: the service
// logs the masked last four and nothing else, and wipe() overwrites the fields once the
// single online request is done (also on the next card and on stop()). Espruino strings
// cannot be zeroized in place; dropping every reference is the best the language allows,
// and the drivers zero their byte buffers.
import { CardError, CardEvent, CardService, ReaderStats } from "./types";
import { Swipe, SwipeCallback } from "../../drivers/magstripe/ttl";
import { Tap, TapCallback } from "../../drivers/emv/nfc-reader";
import { Terminal } from "../../drivers/emv/apdu";
import { lastFour, maskedPan } from "../util/mask";

export interface MsrLike { start(cb: SwipeCallback): void; stop(): void; }
export interface NfcLike { start(cb: TapCallback): void; stop(): void; }

export interface CardServiceDeps {
  msr?: MsrLike | null;
  nfc?: NfcLike | null;
  /** "YYMMDD" for the EMV PDOL (9A) */
  date?: () => string;
  /** ISO 3166 / 4217 numeric codes for the PDOL */
  country?: number;
  currency?: number;
  log?: (line: string) => void;
  /** every read error, for the health counters (firmware/health) */
  count?: (source: string, reason: string, fault: boolean) => void;
}

var MESSAGES: { [source: string]: string } = { swipe: "Swipe again", tap: "Tap again" };

export function createCardService(deps: CardServiceDeps, onCard: (card: CardEvent) => void, onError: (err: CardError) => void): CardService {
  var active = false;
  var amount = 0;
  var held: CardEvent | null = null;
  var stats: ReaderStats = { swipes: 0, taps: 0, errors: {} };
  var log = deps.log || function () { /* quiet */ };

  function wipe(card: CardEvent): void {
    card.pan = ""; card.expiry = ""; card.serviceCode = ""; card.track2 = ""; card.name = ""; card.uid = "";
    if (held === card) held = null;
  }

  function stopReaders(): void {
    if (deps.msr) deps.msr.stop();
    if (deps.nfc) deps.nfc.stop();
  }

  function deliver(card: CardEvent): void {
    if (!active) { wipe(card); return; }
    active = false;
    stopReaders(); // one card per start(): a second swipe cannot race the first
    if (held) wipe(held);
    held = card;
    log("card: " + card.source + " " + (card.last4 ? maskedPan(card.last4) : "uid only"));
    onCard(card);
  }

  function fail(source: "swipe" | "tap", reason: string, fault: boolean): void {
    stats.errors[reason] = (stats.errors[reason] || 0) + 1;
    if (deps.count) deps.count(source, reason, fault);
    log("card: " + source + " error " + reason);
    if (!active) return;
    onError({ code: fault ? "READER_FAULT" : "CARD_ERROR", source: source, reason: reason, message: fault ? "Reader fault" : MESSAGES[source]! });
  }

  var onSwipe: SwipeCallback = function (err, s) {
    if (err || !s) { fail("swipe", err ? err.reason : "no_data", false); return; }
    stats.swipes++;
    var f = s.fields;
    var t2 = s.track === 2 ? s.text.substr(1, s.text.length - 2) : "";
    deliver({ source: "swipe", pan: f.pan, expiry: f.expiry, serviceCode: f.serviceCode, track2: t2, name: f.name, uid: "", last4: lastFour(f.pan) });
    s.text = ""; f.pan = ""; f.name = "";
  };

  var onTap: TapCallback = function (err, t) {
    if (err || !t) { fail("tap", err ? err.reason : "no_data", !!err && err.fault); return; }
    stats.taps++;
    var f = t.fields;
    deliver({ source: "tap", pan: f.pan, expiry: f.expiry, serviceCode: f.serviceCode, track2: t.track2, name: f.name, uid: t.uid, last4: f.pan ? lastFour(f.pan) : "" });
  };

  function terminal(): Terminal {
    return {
      amount: amount, date: deps.date ? deps.date() : "000101",
      unpredictable: Math.floor(Math.random() * 4294967296), country: deps.country || 840, currency: deps.currency || 840,
    };
  }

  return {
    start: function (amt?: number): void {
      amount = amt || 0;
      active = true;
      if (deps.msr) deps.msr.start(onSwipe);
      if (deps.nfc) deps.nfc.start(onTap);
    },
    stop: function (): void {
      active = false;
      stopReaders();
      if (held) wipe(held);
    },
    wipe: wipe,
    stats: function (): ReaderStats { return stats; },
    terminal: terminal,
  };
}
