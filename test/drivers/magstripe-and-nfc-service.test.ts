// The card service end to end: readers built from board parts, virtual TTL/UART magstripe
// readers and the virtual PN532, one event per start(), wiping, masked logs, statistics.
import { strict as assert } from "assert";
import { Testbed } from "../support/testbed";
import { MagstripeTtlPart } from "../../sim/parts/magstripe-ttl";
import { MagstripeUartPart } from "../../sim/parts/magstripe-uart";
import { Pn532Part } from "../../sim/parts/pn532";
import { traceByName, traceCard, uidCard } from "../../sim/cards/models";
import { createReaders } from "../../firmware/cards/readers";
import { factoriesFor } from "../support/parts";
import { createCardService } from "../../firmware/cards/service";
import type { CardError, CardEvent, CardService } from "../../firmware/cards/types";
import board from "../../boards/pos-esp32-v1.json";
import fixtures from "../fixtures/cards/tracks.json";

function world(parts: any) {
  const tb = new Testbed({ seed: 11 });
  const ctx = tb.partContext();
  const msrPart = parts.msr.type === "magstripe-ttl" ? new MagstripeTtlPart("msr", parts.msr, ctx) : new MagstripeUartPart("msr", parts.msr, ctx);
  const nfcPart = new Pn532Part("nfc", parts.nfc, ctx);
  // the buses the parts sit on, as bring-up sets them up (firmware/board.ts setupBuses)
  const kinds: any = { i2c1: "i2c", uart2: "uart", uart3: "uart" };
  const i2c: any = {}, uart: any = {};
  for (const role of ["msr", "nfc"]) {
    const bus = parts[role].bus;
    if (bus && kinds[bus] === "i2c") i2c[bus] ??= tb.i2c(bus);
    else if (bus) uart[bus] ??= tb.uart(bus, parts.msr.type === "magstripe-uart" ? 9600 : 115200);
  }
  let svc: CardService;
  const deps = { io: tb.io(), i2c, uart, errorFlags: tb.getErrorFlags, log: () => {}, board: () => ({ buses: {} }) };
  const readers = createReaders(parts, factoriesFor(parts), deps, () => svc.terminal());
  const cards: CardEvent[] = [], errors: CardError[] = [], logs: string[] = [];
  const seen: any[] = [];
  svc = createCardService({ msr: readers.msr, nfc: readers.nfc, date: () => "261126", log: (l) => logs.push(l) },
    (c) => { cards.push(c); seen.push({ ...c }); }, (e) => errors.push(e));
  return { tb, msrPart, nfcPart, svc, cards, seen, errors, logs };
}

describe("card service with the board's readers", () => {
  it("a swipe on the TTL reader (board file) gives one swipe event, logged masked", () => {
    const w = world(board.parts);
    w.svc.start(500);
    const c = fixtures.good[0]!;
    w.tb.run((w.msrPart as MagstripeTtlPart).swipe(c, { speed: 30 }) + 0.05);
    assert.equal(w.seen.length, 1);
    assert.deepEqual(
      { ...w.seen[0], track2: undefined },
      { source: "swipe", pan: c.pan, expiry: c.expiry, serviceCode: c.serviceCode, track2: undefined, name: "", uid: "", last4: "1111" });
    assert.equal(w.seen[0].track2, c.track2.slice(1, -1));
    for (const l of w.logs) assert.ok(!l.includes(c.pan) && !l.includes(c.pan.slice(0, 6)), l);
    assert.ok(w.logs.some((l) => l.includes("**** **** **** 1111")));
  });

  it("one card per start(); wipe() and stop() overwrite the fields", () => {
    const w = world(board.parts);
    w.svc.start(100);
    const part = w.msrPart as MagstripeTtlPart;
    w.tb.run(part.swipe(fixtures.good[0]!, { speed: 30 }) + 0.05);
    w.tb.run(part.swipe(fixtures.good[1]!, { speed: 30 }) + 0.05);
    assert.equal(w.cards.length, 1, "second swipe ignored until start()");
    w.svc.wipe(w.cards[0]!);
    assert.deepEqual([w.cards[0]!.pan, w.cards[0]!.track2, w.cards[0]!.expiry], ["", "", ""]);
    w.svc.start(100);
    w.tb.run(part.swipe(fixtures.good[1]!, { speed: 30 }) + 0.05);
    assert.equal(w.cards.length, 2);
    w.svc.stop();
    assert.equal(w.cards[1]!.pan, "", "stop() wipes the held card");
  });

  it("bad swipes count by reason and ask to swipe again", () => {
    const w = world(board.parts);
    w.svc.start(100);
    const part = w.msrPart as MagstripeTtlPart;
    w.tb.run(part.swipe(fixtures.bad[0]!.track2!, { speed: 30 }) + 0.05);
    assert.deepEqual(w.errors.map((e) => [e.code, e.reason, e.message]), [["CARD_ERROR", "bad_pan", "Swipe again"]]);
    assert.deepEqual(w.svc.stats().errors, { bad_pan: 1 });
  });

  it("a tap gives a tap event with the UID; RF ends off after stop()", () => {
    const w = world(board.parts);
    w.svc.start(1234);
    w.nfcPart.tap(traceCard(traceByName("visa-qvsdc-pdol-format2")));
    w.tb.runUntil(() => w.cards.length > 0, 3);
    assert.deepEqual([w.seen[0].source, w.seen[0].pan, w.seen[0].uid, w.seen[0].last4], ["tap", "4761739001010010", "08A1B2C3", "0010"]);
    w.svc.stop();
    w.tb.run(1);
    assert.equal(w.nfcPart.rfOn, false);
  });

  it("a card left on the reader is not read again for the next transaction until it leaves", () => {
    const w = world(board.parts);
    w.svc.start(100);
    const card = traceCard(traceByName("visa-qvsdc-pdol-format2"));
    w.nfcPart.tap(card);
    w.tb.runUntil(() => w.cards.length > 0, 3);
    w.svc.wipe(w.cards[0]!);
    w.svc.start(200);
    w.tb.run(3);
    assert.equal(w.cards.length, 1, "still in the field: ignored");
    w.nfcPart.remove(); w.tb.run(1);
    w.nfcPart.tap(card);
    w.tb.runUntil(() => w.cards.length > 1, 3);
    assert.equal(w.seen[1].pan, "4761739001010010");
  });

  it("a non-payment card reports only its UID; removal mid-read says tap again", () => {
    const w = world(board.parts);
    w.svc.start(0);
    w.nfcPart.tap(uidCard("11223344"));
    w.tb.runUntil(() => w.cards.length > 0, 3);
    assert.deepEqual([w.seen[0].pan, w.seen[0].uid], ["", "11223344"]);
    w.svc.start(0);
    w.nfcPart.remove(); w.tb.run(0.5);
    w.nfcPart.tap(traceCard(traceByName("mastercard-nopdol-format1")));
    w.nfcPart.removeAfter(2);
    w.tb.runUntil(() => w.errors.length > 0, 3);
    assert.deepEqual([w.errors[0]!.reason, w.errors[0]!.message], ["removed", "Tap again"]);
  });

  it("UART magstripe reader (board variant): ASCII tracks, E tracks rejected", () => {
    const parts = { ...board.parts, msr: { type: "magstripe-uart", bus: "uart3" } };
    const w = world(parts);
    w.svc.start(100);
    const part = w.msrPart as MagstripeUartPart;
    part.swipe({}, { bad: true });
    w.tb.run(0.5);
    part.swipe(fixtures.good[1]!);
    w.tb.run(0.5);
    assert.equal(w.errors[0]!.message, "Swipe again");
    assert.deepEqual([w.seen[0].pan, w.seen[0].name, w.seen[0].expiry], [fixtures.good[1]!.pan, "DOE/JANE", "2905"]);
  });

  it("PN532 on HSU (UART) selected by its bus kind", () => {
    const parts = { ...board.parts, nfc: { type: "pn532", bus: "uart2" } };
    const w = world(parts);
    w.svc.start(100);
    w.nfcPart.tap(traceCard(traceByName("visa-pdol-format1-no57")));
    w.tb.runUntil(() => w.cards.length > 0, 3);
    assert.equal(w.seen[0].pan, "4111111111111111");
  });
});
