// The NFC probe against the virtual PN532: firmware version, RF field test, targets, RF off.
import { strict as assert } from "assert";
import { Testbed } from "../../sim/cards/testbed";
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
