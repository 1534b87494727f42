// Pn532 driver against the virtual PN532 over the simulated I2C bus (status byte, IRQ) and HSU.
import { strict as assert } from "assert";
import { Testbed } from "../support/testbed";
import { Pn532Part } from "../../sim/parts/pn532";
import { traceByName, traceCard, uidCard } from "../../sim/cards/models";
import { Pn532, Pn532Error, Target } from "../../drivers/pn532/pn532";
import { HsuLink, I2CLink } from "../../drivers/pn532/link";

function i2cRig(irq?: number) {
  const tb = new Testbed();
  const part = new Pn532Part("nfc", { type: "pn532", bus: "i2c1", address: 0x24, irq }, tb.partContext());
  const pn = new Pn532({ link: new I2CLink({ i2c: tb.i2c("i2c1"), io: tb.io(), address: 0x24, irq }), io: tb.io() });
  return { tb, part, pn };
}
function hsuRig() {
  const tb = new Testbed();
  const uart = tb.uart("uart2", 115200);
  const part = new Pn532Part("nfc", { type: "pn532", bus: "uart2" }, tb.partContext());
  const pn = new Pn532({ link: new HsuLink({ uart, io: tb.io() }), io: tb.io() });
  return { tb, part, pn };
}

/** runs an async driver call to completion in virtual time */
function call<T>(tb: Testbed, f: (cb: (e: Pn532Error | null, r?: T) => void) => void, max = 2): { err: Pn532Error | null; res?: T } {
  let out: { err: Pn532Error | null; res?: T } | undefined;
  f((err, res) => { out = { err, res }; });
  tb.runUntil(() => !!out, max);
  assert.ok(out, "no completion");
  return out!;
}

for (const [name, make] of [["I2C polled", () => i2cRig()], ["I2C with IRQ", () => i2cRig(36)], ["HSU", hsuRig]] as const) {
  describe(`PN532 driver <-> virtual PN532 (${name})`, () => {
    it("reads the firmware version and configures the SAM", () => {
      const { tb, pn, part } = make();
      const v = call(tb, (cb) => pn.getFirmwareVersion(cb));
      assert.equal(v.err, null);
      assert.deepEqual(v.res, { ic: 0x32, version: 1, revision: 6, support: 7 });
      assert.equal(call(tb, (cb) => pn.samConfiguration(cb)).err, null);
      assert.ok(part.samDone);
    });

    it("lists a UID-only card, then none after removal (retries bounded)", () => {
      const { tb, pn, part } = make();
      call(tb, (cb) => pn.setRetries(2, cb));
      part.tap(uidCard("04A1B2C3"));
      const t = call<Target | null>(tb, (cb) => pn.inListPassiveTarget(500, cb));
      assert.equal(t.err, null);
      assert.equal(Buffer.from(t.res!.uid).toString("hex"), "04a1b2c3");
      assert.equal(t.res!.isoDep, false);
      part.remove();
      const none = call<Target | null>(tb, (cb) => pn.inListPassiveTarget(500, cb));
      assert.equal(none.err, null);
      assert.equal(none.res, null);
    });

    it("exchanges APDUs with an EMV card; removal gives 'removed'", () => {
      const { tb, pn, part } = make();
      part.tap(traceCard(traceByName("visa-qvsdc-pdol-format2")));
      const t = call<Target | null>(tb, (cb) => pn.inListPassiveTarget(500, cb));
      assert.ok(t.res!.isoDep);
      const ppse = Buffer.from("00A404000E325041592E5359532E444446303100", "hex");
      const r = call<Uint8Array>(tb, (cb) => pn.inDataExchange(1, ppse, 500, cb));
      assert.equal(r.err, null);
      assert.equal(Buffer.from(r.res!.subarray(r.res!.length - 2)).toString("hex"), "9000");
      part.remove();
      const gone = call<Uint8Array>(tb, (cb) => pn.inDataExchange(1, ppse, 500, cb));
      assert.equal(gone.err!.code, "removed");
    });

    it("recovers a corrupted response by NACK, and times out cleanly when the chip is silent", () => {
      const { tb, pn, part } = make();
      part.corruptNext("dcs");
      const v = call(tb, (cb) => pn.getFirmwareVersion(cb));
      assert.equal(v.err, null);
      part.silent = true;
      const s = call(tb, (cb) => pn.getFirmwareVersion(cb));
      assert.ok(s.err && ["bus", "timeout", "nack"].includes(s.err.code), String(s.err && s.err.code));
    });

    for (const how of ["dcs", "lcs", "truncate"] as const) {
      it(`a response damaged (${how}) is asked again by NACK; damaged every time it fails with 'frame'`, () => {
        const { tb, pn, part } = make();
        part.corruptNext(how, 2);
        assert.equal(call(tb, (cb) => pn.getFirmwareVersion(cb)).err, null, "two NACK resends");
        part.corruptNext(how, 10);
        const bad = call(tb, (cb) => pn.getFirmwareVersion(cb));
        assert.ok(bad.err && ["frame", "timeout"].includes(bad.err.code), String(bad.err && bad.err.code));
        part.corruptNext(how, 0);
        tb.run(1);
        assert.equal(call(tb, (cb) => pn.getFirmwareVersion(cb)).err, null, "usable afterwards");
      });
    }

    it("times out a command and aborts it with an ACK (no card, retries forever)", () => {
      const { tb, pn, part } = make();
      const t = call<Target | null>(tb, (cb) => pn.inListPassiveTarget(200, cb));
      assert.equal(t.err!.code, "timeout");
      assert.equal(call(tb, (cb) => pn.getFirmwareVersion(cb)).err, null, "usable after the abort");
      assert.ok(part.commands.includes(0x4a));
    });
  });
}
