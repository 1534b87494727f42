// Firmware update with rollback on the built bundle in the simulator, booted through the boot
// loader (dist/<board>/loader.js as .bootcde, firmware in Storage slots; docs/update.md).
import { strict as assert } from "assert";
import { SimTarget } from "../../sim/scenario/target-sim";
import { withVersion } from "../../sim/update/image";
import { serialUpdate } from "../../sim/update/serial";
import { attachDemoUpdate } from "../../sim/update/demo";
import { defaultSettings } from "../../firmware/app/settings";
import { FORMAT } from "../../firmware/journal/format";
import type { BoardLink } from "../../tools/flash";
import { play, sale, waitFor } from "../support/flows";
import { firmwareSource, serve, openUpdate, install, ready, bootState, storedSettings, text, consoleSince, TEST_KEY } from "../support/update";

/** the simulated board's console as a BoardLink: a typed line runs as the REPL runs it */
function consoleLink(t: SimTarget): BoardLink {
  return {
    exchange: async (line, until) => {
      const c0 = t.world.console.length;
      t.world.mcu.invoke(line, undefined, []);
      t.run(0.05);
      const out = t.world.console.slice(c0).join("\n") + "\n";
      if (!until.test(out)) throw new Error("no answer to " + line.slice(0, 40) + ": " + out);
      return out;
    },
    close: () => {},
  };
}

describe("firmware update (system, via the boot loader)", function () {
  this.timeout(300000);
  const v1 = firmwareSource();

  it("boots v1 from slot fw.a through the loader, confirmed, writing nothing at boot", () => {
    const t = new SimTarget();
    ready(t);
    const s = bootState(t)!;
    assert.equal(s.active, 0);
    assert.equal(s.trial, false);
    assert.equal(s.slots[0]!.version, 1);
    assert.equal(s.slots[0]!.length, v1.length);
    assert.deepEqual([...t.world.storage.files.keys()].sort(), [".bootcde", "fw.a"]);
  });

  it("updates v1 -> v2 over the network: staged in fw.b, switched, trial boot, READY confirms; journal and settings intact", () => {
    const t = new SimTarget();
    ready(t);
    play(t, sale("1000"));
    const settings0 = storedSettings(t);
    const srv = serve(t, { image: withVersion(v1, 2) });
    assert.match(openUpdate(t), /Install v2/);
    const c0 = t.world.console.length;
    install(t);
    ready(t, 60);
    assert.deepEqual(consoleSince(t, c0, /^loader: /), ["loader: trial boot 1 of 3"]);
    assert.equal(consoleSince(t, c0, /update: v2 confirmed/).length, 1);
    assert.deepEqual(srv.outcomes, ["installed v2"]);
    const s = bootState(t)!;
    assert.equal(s.active, 1);
    assert.equal(s.trial, false);
    assert.equal(s.slots[1]!.version, 2);
    assert.equal(s.slots[0]!.version, 1, "v1 kept as the previous version");
    assert.equal(t.world.storage.read("fw.a")!.length, v1.length, "the running slot was never rewritten");
    // settings as they were (the PIN tally aside); the journal continues its numbering
    const settings1 = storedSettings(t);
    assert.deepEqual({ ...settings1, pinFails: 0 }, { ...settings0, pinFails: 0 });
    play(t, sale("2000"));
    assert.match(t.receipt(), /INV(OICE)?[^\n]*0*2\b/);
    // the next boot is an ordinary one: no attempt counted, the boot region unchanged
    const r = t.world.board.flashRegions.boot;
    const region = () => Buffer.from(t.world.flash.read(r.sectors * r.sectorSize, r.base)).toString("hex");
    const before = region();
    t.world.powerCut(); t.world.powerOn();
    ready(t);
    assert.equal(region(), before, "a confirmed boot writes nothing to the boot control");
  });

  it("rolls back a version that never reaches READY after 3 boots; journal and settings intact", () => {
    const t = new SimTarget();
    ready(t);
    play(t, sale("1000"));
    const settings0 = storedSettings(t);
    const bad = withVersion(v1, 3) + ';global.onInit=function(){throw new Error("v3 dies before READY")};';
    serve(t, { image: bad });
    openUpdate(t);
    const c0 = t.world.console.length;
    install(t);
    // three trial boots, each reset by the loader's 180 s READY timer, then the rollback
    assert.ok(waitFor(t, 800, () => text(t).includes("READY")), "back to READY: " + t.world.console.slice(-6).join("\n"));
    const loader = consoleSince(t, c0, /^loader: /);
    assert.deepEqual(loader.filter((l) => l.includes("trial boot")), ["loader: trial boot 1 of 3", "loader: trial boot 2 of 3", "loader: trial boot 3 of 3"]);
    assert.ok(loader.some((l) => l.includes("v3 did not reach READY in 3 boots; rolled back to v1")), loader.join("\n"));
    assert.equal(consoleSince(t, c0, /update: v3 did not reach READY: rolled back to v1/).length, 1);
    const s = bootState(t)!;
    assert.equal(s.active, 0);
    assert.equal(s.trial, false);
    assert.equal(s.failed, 0, "the rollback note is cleared once reported");
    assert.deepEqual({ ...storedSettings(t), pinFails: 0 }, { ...settings0, pinFails: 0 });
    assert.deepEqual(t.world.errors.map((e) => e.message), ["Error: v3 dies before READY", "Error: v3 dies before READY", "Error: v3 dies before READY"]);
    t.world.errors.splice(0);
    play(t, sale("2000"));
  });

  it("refuses a tampered image, a wrong key, a lower journal format and the running version; nothing switches", () => {
    const cases: { name: string; opts: any; why: RegExp }[] = [
      { name: "tampered bytes", opts: { image: withVersion(v1, 2), tamper: (at: number, d: string) => (at === 2048 ? "X" + d.slice(1) : d) }, why: /digest mismatch/ },
      { name: "wrong key", opts: { image: withVersion(v1, 2), keyHex: "ff".repeat(16) }, why: /bad signature/ },
      { name: "same version", opts: { image: v1 }, why: /already running/ },
      { name: "older journal format", opts: { image: withVersion(v1, 2, 0) }, why: new RegExp("journal format 0 < " + FORMAT) },
    ];
    for (const c of cases) {
      const t = new SimTarget();
      ready(t);
      const before = bootState(t);
      serve(t, c.opts);
      const shown = openUpdate(t);
      if (shown.includes("Install")) { t.press("ENTER"); waitFor(t, 120, () => text(t).includes("UPDATE FAILED")); }
      const all = text(t) + " " + t.world.console.slice(-5).join(" ");
      assert.ok(text(t).includes("UPDATE FAILED"), c.name + ": " + all);
      assert.match(t.world.console.slice(-5).join("\n"), c.why, c.name);
      assert.deepEqual(bootState(t), before, c.name + ": boot control untouched");
    }
  });

  it("installs over the serial console (posUpdate lines), and refuses a forged image there too", async () => {
    const t = new SimTarget();
    ready(t);
    assert.equal(await serialUpdate(consoleLink(t), withVersion(v1, 2), "ee".repeat(16)), "UPDATE ERR bad signature");
    assert.equal(await serialUpdate(consoleLink(t), withVersion(v1, 2), TEST_KEY), "UPDATE OK switched");
    t.run(1); // the restart
    ready(t, 60);
    assert.ok(t.world.console.some((l) => l.includes("v2 confirmed")));
    assert.equal(bootState(t)!.slots[bootState(t)!.active]!.version, 2);
  });

  it("make sim offers the running bundle as the next version, signed with the default test key", () => {
    const t = new SimTarget();
    ready(t);
    attachDemoUpdate(t.world);
    assert.match(openUpdate(t), /Install v2/);
    install(t);
    ready(t, 60);
    assert.equal(bootState(t)!.slots[1]!.version, 2);
    assert.equal(defaultSettings().updateKey, TEST_KEY);
  });

  it("resumes after the link drops mid-transfer", () => {
    const t = new SimTarget();
    ready(t);
    const srv = serve(t, { image: withVersion(v1, 2), log: (l) => srv.log.push(l) });
    srv.dropAfter = 20;
    openUpdate(t);
    install(t);
    ready(t, 60);
    assert.ok(t.world.console.some((l) => l.includes("Link lost: retry 1")), "the drop was seen");
    assert.ok(srv.log.includes("fault: link dropped"));
    assert.equal(srv.served, Math.ceil(v1.length / 1024), "each byte served once: resumed, not restarted");
    assert.equal(bootState(t)!.slots[1]!.version, 2);
    assert.ok(t.world.console.some((l) => l.includes("v2 confirmed")));
  });
});
