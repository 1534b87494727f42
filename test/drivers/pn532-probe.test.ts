// The NFC probe against the virtual PN532: firmware version, RF field test, targets, RF off.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { createWorld } from "../../sim/harness";
import { Testbed } from "../support/testbed";
import { Pn532Part } from "../../sim/parts/pn532";
import { traceByName, traceCard, uidCard } from "../../sim/cards/models";
import { Pn532 } from "../../drivers/pn532/pn532";
import { I2CLink } from "../../drivers/pn532/link";
import { runNfcProbe } from "../../firmware/cards/nfc-probe";

function rig() {
  const tb = new Testbed();
  const part = new Pn532Part("nfc", { type: "pn532", bus: "i2c1", address: 0x24, irq: 36 }, tb.partContext());
  const io = tb.io();
  const pn = new Pn532({ link: new I2CLink({ i2c: tb.i2c("i2c1"), io, irq: 36 }), io });
  return { tb, part, pn, io };
}

describe("NFC probe", () => {
  it("reports the firmware version, lists targets in the RF field test, ends with RF off", () => {
    const { tb, part, pn, io } = rig();
    const log: string[] = [];
    let faults = -1;
    runNfcProbe({ pn532: pn, io, log: (l) => log.push(l), seconds: 3, done: (f) => { faults = f; } });
    tb.clock.at(0.5, () => part.tap(uidCard("04A1B2C3")));
    tb.clock.at(1.2, () => part.tap(traceCard(traceByName("mastercard-nopdol-format1"))));
    tb.runUntil(() => faults >= 0, 6);
    assert.equal(log[0], "nfc: PN532 IC 0x32 firmware 1.6 support 0x07");
    assert.ok(log.includes("nfc: target uid 04A1B2C3 atqa 0004 sak 08"), log.join("\n"));
    assert.ok(log.includes("nfc: target uid 04112233445566 atqa 0044 sak 20 iso-dep"));
    assert.ok(log.includes("nfc: SELECT PPSE sw 9000 aid A0000000041010"));
    assert.equal(log[log.length - 2], "nfc: RF field off");
    assert.match(log[log.length - 1]!, /nfc: probe done, \d+ polls, 2 targets, 0 faults/);
    assert.equal(faults, 0);
    assert.equal(part.rfOn, false);
    assert.ok(part.rfLog.some((r) => r.on) && !part.rfLog[part.rfLog.length - 1]!.on);
  });

  it("says so when the PN532 does not answer", () => {
    const { tb, part, pn, io } = rig();
    part.silent = true;
    const log: string[] = [];
    let faults = -1;
    runNfcProbe({ pn532: pn, io, log: (l) => log.push(l), seconds: 1, done: (f) => { faults = f; } });
    tb.runUntil(() => faults >= 0, 3);
    assert.match(log[0]!, /nfc: PN532 not answering .*check wiring/);
  });
});

describe("probe-nfc.js bundle in the simulated world", () => {
  const bundle = path.join(__dirname, "..", "..", "dist", "pos-esp32-v1", "probe-nfc.js");
  it("talks to the virtual PN532 over the runtime's I2C with the IRQ pin (needs make build)", function () {
    if (!fs.existsSync(bundle)) this.skip();
    const w = createWorld({ board: "pos-esp32-v1", bundle });
    w.run(1);
    const nfc = w.parts.nfc as unknown as Pn532Part;
    nfc.tap(traceCard(traceByName("visa-qvsdc-pdol-format2")));
    w.run(3);
    nfc.remove();
    w.runUntil(() => w.console.some((l) => l.startsWith("nfc: probe done")), 40);
    assert.deepEqual(w.errors, []);
    assert.equal(w.console[0], "nfc: PN532 IC 0x32 firmware 1.6 support 0x07");
    assert.ok(w.console.includes("nfc: SELECT PPSE sw 9000 aid A0000000031010"), w.console.join("\n"));
    assert.match(w.console[w.console.length - 1]!, /probe done, \d+ polls, 1 targets, 0 faults/);
    assert.equal(nfc.rfOn, false);
  });
});
