// Roles on the compiled bundle in the simulator (docs/roles.md): the three PINs provisioned as
// hashes only, a PIN change that survives a power cut, and a settings copy written before
// roles (one supervisor PIN, its failure count) booted by this firmware. Needs `make build`.
import { strict as assert } from "assert";
import * as zlib from "zlib";
import { SimTarget } from "../../sim/scenario/target-sim";
import { SettingsStore } from "../../firmware/app/settings";
import { hashPin, LOCK_SECONDS } from "../../firmware/app/pin";
import { RamFlash, sha256Latin1 } from "../support/fake-ports";
import { R, PIN, CASHIER_PIN, play } from "../support/flows";

const crc32 = (d: Uint8Array) => zlib.crc32(d) >>> 0;

describe("roles on the bundle", function () {
  this.timeout(120000);

  it("first boot stores the three PINs only as hashes with one salt", () => {
    const t = new SimTarget();
    play(t, [R]);
    const st = new SettingsStore({ flash: t.world.flash, region: t.world.board.flashRegions.settings, crc32 });
    st.load();
    const v = st.values;
    assert.equal(v.pinHash, hashPin(sha256Latin1, v.pinSalt, "1234"));
    assert.equal(v.rolePins, hashPin(sha256Latin1, v.pinSalt, "1111").substr(0, 32) + hashPin(sha256Latin1, v.pinSalt, "5678").substr(0, 32));
    const flash = Object.values(t.world.flashImage()).map((b) => Buffer.from(b).toString("latin1")).join("");
    const rest = flash.replace(/"(pinHash|rolePins|deviceKey)":"[0-9a-f]{64}"|"pinSalt":"[0-9a-f]{32}"/g, "");
    for (const pin of ["1111", "1234", "5678"]) assert.ok(!rest.includes(pin), "PIN in clear: " + pin);
  });

  it("the supervisor changes the cashier PIN; it holds after a power cut, the old one is refused", () => {
    const t = new SimTarget();
    play(t, [R, { press: "MENU" }, { press: "9" }, ...PIN, { expectScreen: "1 CASHIER PIN" }, { press: "1" },
      { keys: "2468" }, { press: "ENTER" }, { expectScreen: "Repeat PIN" }, { keys: "2468" }, { press: "ENTER" }, { expectScreen: "CASHIER PIN changed" },
      { powerCut: true }, { powerOn: true }, R,
      { press: "MENU" }, { press: "3" }, ...CASHIER_PIN, { expectScreen: "Wrong PIN, 2 left" },
      { keys: "2468" }, { press: "ENTER" }, { expectScreen: "1 LAST RECEIPT" }]);
  });

  it("a settings copy written before roles: the supervisor keeps PIN and lock-out, the cashier gets 1111", () => {
    const board = new SimTarget({ boot: false }).world.board;
    const region = board.flashRegions.settings;
    const ram = new RamFlash(region.base, region.sectors * region.sectorSize);
    const old = new SettingsStore({ flash: ram, region, crc32 });
    old.load();
    const raw = old.values as any;
    raw.pinSalt = "0123456789abcdef0123456789abcdef";
    raw.pinHash = hashPin(sha256Latin1, raw.pinSalt, "4242");
    raw.pinFails = 3;
    raw.deviceKey = "ab".repeat(32);
    delete raw.rolePins; delete raw.cashierFails; delete raw.techFails;
    assert.equal(old.save(), null);
    const t = new SimTarget({ flashImage: { [region.base]: ram.mem } });
    play(t, [R, { press: "MENU" }, { press: "6" }, { expectScreen: "PIN LOCKED" }, { press: "CANCEL" }, { press: "CANCEL" }, R,
      { press: "MENU" }, { press: "3" }, ...CASHIER_PIN, { expectScreen: "1 LAST RECEIPT" }, { press: "CANCEL" }, R,
      { powerCut: true }, { powerOn: true }, R, { press: "MENU" }, { press: "6" }, { expectScreen: "PIN LOCKED" }, { press: "CANCEL" }, { press: "CANCEL" }, R]);
    t.run(LOCK_SECONDS + 1);
    // one try after the lock window: the old supervisor PIN (1234 is not it)
    play(t, [{ press: "MENU" }, { press: "6" }, { keys: "4242" }, { press: "ENTER" }, { expectScreen: "SETTLE?" }]);
  });
  it("a forgotten technician PIN is set from the console: posConfig(\"techPin\", ...); bad or another role's PIN refused", () => {
    const t = new SimTarget();
    play(t, [R]);
    for (const bad of ['"12"', "4826", '"12a4"', '"1234"']) t.world.mcu.invoke("posConfig(\"techPin\", " + bad + ")", undefined, []);
    t.world.mcu.invoke('posConfig("techPin", "4826")', undefined, []);
    t.run(1);
    assert.deepEqual(t.consoleLines().filter((l) => l.startsWith("posConfig:")), [
      "posConfig: techPin: a string of 4 to 8 digits",
      "posConfig: techPin: a string of 4 to 8 digits",
      "posConfig: techPin: a string of 4 to 8 digits",
      "posConfig: techPin: used by another role, not changed",
      "posConfig: technician PIN set",
    ]);
    const tech = [{ press: "MENU" }, { press: "0" }, { expectScreen: "SERVICE" }, { press: "4" }];
    play(t, [...tech, { keys: "5678" }, { press: "ENTER" }, { expectScreen: "Wrong PIN" }, { press: "CANCEL" }, { press: "CANCEL" }, R,
      { powerCut: true }, { powerOn: true }, R,
      ...tech, { keys: "4826" }, { press: "ENTER" }, { expectConsole: "update: link" }]);
  });
});
