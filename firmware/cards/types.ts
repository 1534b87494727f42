// The card service's public shapes (see docs/cards.md). One event kind for swipes and taps;
// everything in it is RAM only and wiped by CardService.wipe (or the next card, or stop()).
import { Terminal } from "../../drivers/emv/apdu";

export interface CardEvent {
  source: "swipe" | "tap";
  /** "" for a non-payment tap (UID only) */
  pan: string;
  /** YYMM */
  expiry: string;
  serviceCode: string;
  /** track 2 (swipe: "PAN=YYMMSSS...", no sentinels) or its EMV equivalent (tag 57 as
   *  hex: "PANDYYMMSSS...", F padding dropped); "" if the card gave none */
  track2: string;
  /** cardholder name if the card gave one (track 1, tag 5F20) */
  name: string;
  /** NFC UID as hex (taps), "" for swipes */
  uid: string;
  /** safe to keep and show: last four digits of the PAN ("" if none) */
  last4: string;
}

/** A failed read. code CARD_ERROR: ask the customer again (message says how);
 *  READER_FAULT: the reader itself does not answer. */
export interface CardError {
  code: "CARD_ERROR" | "READER_FAULT";
  source: "swipe" | "tap";
  /** machine reason: parity, lrc, overflow, removed, timeout, frame, ... */
  reason: string;
  /** for the screen: "Swipe again" / "Tap again" / "Reader fault" */
  message: string;
}

export interface ReaderStats {
  swipes: number;
  taps: number;
  /** failures by reason, e.g. { parity: 2, overflow: 1 } */
  errors: { [reason: string]: number };
}

export interface CardService {
  /** starts listening on every reader; amount (minor units) goes into the EMV PDOL */
  start(amount?: number): void;
  /** stops listening (RF off) and wipes any card still held */
  stop(): void;
  /** overwrite a card's fields once the single online request is done */
  wipe(card: CardEvent): void;
  stats(): ReaderStats;
  /** terminal values for the EMV PDOL (current amount, date, a fresh unpredictable number) */
  terminal(): Terminal;
}
