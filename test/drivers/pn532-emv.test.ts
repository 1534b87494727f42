// NfcReader (poll + EMV data read) against the virtual PN532 with scripted cards.
import { strict as assert } from "assert";
import { Testbed } from "../support/testbed";
import { Pn532Part } from "../../sim/parts/pn532";
import { loadTraces, traceByName, traceCard, uidCard } from "../../sim/cards/models";
import { Pn532 } from "../../drivers/pn532/pn532";
import { HsuLink, I2CLink } from "../../drivers/pn532/link";
import { NfcReader } from "../../drivers/emv/nfc-reader";

const term = () => ({ amount: 1234, date: "261126", unpredictable: 0x12345678, country: 840, currency: 840 });

function rig(irq?: number, reset?: number) {
  const tb = new Testbed({ seed: 3 });
  const part = new Pn532Part("nfc", { type: "pn532", bus: "i2c1", address: 0x24, irq, reset }, tb.partContext());
  const io = tb.io();
  const pn = new Pn532({ link: new I2CLink({ i2c: tb.i2c("i2c1"), io, address: 0x24, irq }), io, reset });
  const reader = new NfcReader({ pn532: pn, io, terminal: term });
  const got: any[] = [];
  // fields are only valid during the callback: copy them
  reader.start((err, tap) => got.push(err ? { err: err.reason, fault: err.fault } : { uid: tap!.uid, payment: tap!.payment, ...tap!.fields, track2: tap!.track2 }));
  return { tb, part, reader, got };
}

describe("NFC reader: EMV contactless read over the virtual PN532", () => {
  for (const t of loadTraces()) {
    it(`reads ${t.name}`, () => {
      const { tb, part, got } = rig(36);
      tb.run(0.5);
      part.tap(traceCard(t));
      assert.ok(tb.runUntil(() => got.length > 0, 3));
      const g = got[0];
      assert.equal(g.err, undefined, JSON.stringify(g));
      assert.equal(g.pan, t.expect.pan);
      assert.equal(g.uid, t.uid);
      if (t.expect.expiry) assert.equal(g.expiry, t.expect.expiry);
      if (t.expect.serviceCode) assert.equal(g.serviceCode, t.expect.serviceCode);
      if (t.expect.name !== undefined) assert.equal(g.name, t.expect.name);
      if (t.expect.pan && t.expect.serviceCode) assert.ok(g.track2.startsWith(t.expect.pan + "D"));
    });
  }

  it("chooses the AID by priority and fills the PDOL (amount, date, UN)", () => {
    const { tb, part, got } = rig();
    const mc = traceCard(traceByName("mastercard-nopdol-format1"));
    part.tap(mc);
    tb.runUntil(() => got.length > 0, 3);
    assert.equal(mc.log[1], "00A4040007A000000004101000", "Mastercard (priority 1) over Maestro (2)");
    const visa = traceCard(traceByName("visa-qvsdc-pdol-format2"));
    part.remove(); tb.run(1); part.tap(visa);
    tb.runUntil(() => got.length > 1, 3);
    const gpo = visa.log.find((c) => c.startsWith("80A8"))!;
    // 83 len | TTQ 26000000 | amount 000000001234 | other 0 | country 0840 | TVR | currency 0840 | date 261126 | type 00 | UN
    assert.equal(gpo, "80A8000023" + "8321" + "26000000" + "000000001234" + "000000000000" + "0840" + "0000000000" + "0840" + "261126" + "00" + "12345678" + "00");
  });

  it("malformed card data or a refused GPO give tap again with a reason, never a partial card", () => {
    const base = traceByName("mastercard-nopdol-format1");
    const variants: [string, (t: typeof base) => void][] = [
      ["tlv", (t) => { t.exchanges[3]!.r = "7013" + "57115413330089010434D2912201" + "9000"; }], // record length past its end
      ["gpo", (t) => { t.exchanges[2]!.r = "6985"; }],
      ["select", (t) => { t.exchanges[1]!.r = "6A82"; }],
      ["no_data", (t) => { t.exchanges[3]!.r = "70035F2D00" + "9000"; t.exchanges[4]!.r = "6A83"; }],
    ];
    for (const [reason, change] of variants) {
      const t = JSON.parse(JSON.stringify(base));
      change(t);
      const { tb, part, got } = rig();
      part.tap(traceCard(t));
      tb.runUntil(() => got.length > 0, 3);
      assert.deepEqual(got[0], { err: reason, fault: false }, reason);
    }
  });

  it("a UID-only card reports its UID once while it stays in the field", () => {
    const { tb, part, got } = rig();
    part.tap(uidCard("04A1B2C3"));
    tb.run(3);
    assert.equal(got.length, 1);
    assert.deepEqual([got[0].uid, got[0].payment, got[0].pan], ["04A1B2C3", false, ""]);
  });

  it("stop() and start() inside the callback (the card service after a UID-only tap) keep one poll chain", () => {
    const tb = new Testbed({ seed: 3 });
    const part = new Pn532Part("nfc", { type: "pn532", bus: "i2c1", address: 0x24, irq: 36 }, tb.partContext());
    const io = tb.io();
    const pn = new Pn532({ link: new I2CLink({ i2c: tb.i2c("i2c1"), io, address: 0x24, irq: 36 }), io });
    // a second chain shows up as commands refused with "busy" while the first one's is in flight
    let busy = 0;
    const command = pn.command.bind(pn);
    pn.command = (c, p, t, r, cb) => command(c, p, t, r, (e, b) => { if (e && e.code === "busy") busy++; cb(e, b); });
    const reader = new NfcReader({ pn532: pn, io, terminal: term });
    const got: string[] = [];
    const cb = (err: { reason: string } | null, tap?: { uid: string }) => {
      got.push(err ? err.reason : tap!.uid);
      if (!err) { reader.stop(); reader.start(cb); }
    };
    reader.start(cb);
    tb.run(0.5);
    part.tap(uidCard("11223344"));
    assert.ok(tb.runUntil(() => got.length > 0, 3));
    part.remove();
    tb.run(5);
    assert.deepEqual(got, ["11223344"]);
    assert.equal(busy, 0, "one poll loop, not two");
    part.tap(uidCard("55667788"));
    assert.ok(tb.runUntil(() => got.length > 1, 3));
    assert.equal(got[1], "55667788");
  });

  for (const bus of ["i2c1", "uart2"]) {
    it(`no card data stays in the link's or the reader's buffers after a read (${bus})`, () => {
      const tb = new Testbed({ seed: 3 });
      const part = new Pn532Part("nfc", { type: "pn532", bus, address: 0x24 }, tb.partContext());
      const io = tb.io();
      const link = bus === "uart2" ? new HsuLink({ uart: tb.uart(bus, 115200), io }) : new I2CLink({ i2c: tb.i2c(bus), io, address: 0x24 });
      const pn = new Pn532({ link, io });
      const answers: Uint8Array[] = [];
      const exchange = pn.inDataExchange.bind(pn);
      pn.inDataExchange = (tg, apdu, ms, cb) => exchange(tg, apdu, ms, (e, r) => { if (r) answers.push(r); cb(e, r); });
      const reader = new NfcReader({ pn532: pn, io, terminal: term });
      const got: string[] = [];
      reader.start((err, tap) => got.push(err ? err.reason : tap!.fields.pan));
      tb.run(0.5);
      const t = traceByName("visa-qvsdc-pdol-format2");
      part.tap(traceCard(t));
      assert.ok(tb.runUntil(() => got.length > 0, 3));
      assert.equal(got[0], t.expect.pan);
      const bcd = Buffer.from(t.expect.pan.slice(0, 12), "hex");
      const holds = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).includes(bcd);
      assert.ok(answers.length > 2);
      assert.deepEqual(answers.filter(holds).length, 0, "APDU answers zeroed once read");
      if (link instanceof HsuLink) {
        // frames consumed so far leave nothing behind (the last record held the name and expiry)
        const l = link as any;
        assert.ok(l.buf.subarray(l.n).every((x: number) => x === 0), "HSU receive buffer zeroed past the bytes not yet parsed");
      }
    });
  }

  it("card removed at any step gives tap again, then a clean read", () => {
    const t = traceByName("mastercard-nopdol-format1");
    for (let step = 0; step < t.exchanges.length; step++) {
      const { tb, part, got } = rig(36);
      part.tap(traceCard(t));
      part.removeAfter(step);
      assert.ok(tb.runUntil(() => got.length > 0, 3), "step " + step);
      assert.equal(got[0].err, "removed", "step " + step);
      assert.equal(got[0].fault, false);
      part.tap(traceCard(t));
      assert.ok(tb.runUntil(() => got.length > 1, 3));
      assert.equal(got[1].pan, t.expect.pan, "re-tap after step " + step);
    }
  });

  it("a corrupted frame is recovered; the RF field is off while idle", () => {
    const { tb, part, got } = rig();
    tb.run(1);
    assert.equal(part.rfOn, false);
    part.tap(traceCard(traceByName("visa-qvsdc-pdol-format2")));
    tb.run(0.02);
    part.corruptNext("dcs");
    tb.runUntil(() => got.length > 0, 3);
    assert.equal(got[0].pan, "4761739001010010");
    tb.run(0.1);
    assert.equal(part.rfOn, false);
  });

  it("a PN532 that does not answer is one reader fault; reading resumes when it answers", () => {
    const { tb, part, got } = rig();
    part.silent = true;
    tb.run(10);
    assert.deepEqual([...got], [{ err: "no_reader", fault: true }], "reported once");
    part.silent = false;
    part.tap(uidCard("0A0B0C0D"));
    tb.runUntil(() => got.length > 1, 5);
    assert.equal(got[1].uid, "0A0B0C0D");
  });

  it("a hung PN532 is brought back by a reset pulse on RSTPDN", () => {
    const { tb, part, got } = rig(36, 4);
    tb.run(1);
    part.hung = true;
    tb.runUntil(() => got.length > 0, 5);
    assert.deepEqual({ ...got[0] }, { err: "no_reader", fault: true });
    tb.run(3);
    assert.equal(part.resets, 1);
    assert.equal(part.hung, false);
    part.tap(uidCard("0A0B0C0D"));
    tb.runUntil(() => got.length > 1, 5);
    assert.equal(got[1].uid, "0A0B0C0D");
  });

  it("a PN532 that lost its configuration (power blip) is configured again", () => {
    const { tb, part, got } = rig();
    tb.run(1);
    part.powerCut(); part.powerOn();
    assert.equal(part.samDone, false);
    tb.run(3);
    assert.equal(part.samDone, true, "SAM configured again after polls timed out");
    assert.equal(got.length, 0, "not a fault");
    part.tap(uidCard("0A0B0C0D"));
    tb.runUntil(() => got.length > 0, 5);
    assert.equal(got[0].uid, "0A0B0C0D");
  });
});
