// The audit trail end to end: the built bundle in the simulator does a sale, a void (supervisor
// PIN) and a Z report; the flash is dumped and `pos-sim audit` (its own verifier, node:crypto)
// checks the chain and lists the entries. A power cut and reboot continue the chain; a changed
// byte in the dump is caught with its sector and slot.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseScenario } from "../../sim/scenario/format";
import { runScenario } from "../../sim/scenario/runner";
import { SimTarget } from "../../sim/scenario/target-sim";
import { run as auditCommand } from "../../sim/commands/audit";
import { run as runCommand } from "../../sim/commands/run";

function cli(fn: (a: string[]) => number | Promise<number>, args: string[]): { code: number; out: string } {
  const out: string[] = [];
  const log = console.log, err = console.error;
  console.log = (...a: unknown[]) => { out.push(a.join(" ")); };
  console.error = (...a: unknown[]) => { out.push(a.join(" ")); };
  try { return { code: fn(args) as number, out: out.join("\n") }; } finally { console.log = log; console.error = err; }
}

const SCENARIO = path.join(__dirname, "../scenarios/audit-print.json");

describe("system: audit trail on the built bundle", function () {
  this.timeout(120000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "audit-sys-"));

  it("a void and a Z report are in the chain pos-sim audit verifies; a reboot continues it; tampering is caught", () => {
    // the sale, void and Z report of the audit scenario, without its printing steps
    const sc = parseScenario(fs.readFileSync(SCENARIO, "utf8"), "audit-print.json");
    const upToZ = sc.steps.findIndex((s) => JSON.stringify(s).includes("Shift closed"));
    sc.steps = sc.steps.slice(0, upToZ + 3);
    const t = new SimTarget({});
    const rep = runScenario(sc, t, () => {});
    assert.ok(rep.ok, rep.failure);
    const part = t.world.board.partitions.flash;
    const dump = path.join(dir, "after-z.bin");
    fs.writeFileSync(dump, t.world.flash.image(part.base));
    let r = cli(auditCommand, ["--list", dump]);
    assert.equal(r.code, 0, r.out);
    const events = r.out.split("\n").filter((l) => /^\s+\d+ [A-Z-]+/.test(l)).map((l) => l.trim().split(/\s+/).slice(0, 5).join(" "));
    assert.deepEqual(events, [
      "1 BOOT system a=0 b=0",
      "2 ACCESS-OK supervisor a=2 b=0",
      "3 VOID supervisor a=1 b=1999",
      "4 ACCESS-OK cashier a=1 b=0",
      "5 Z-REPORT cashier a=1 b=0",
    ]);
    assert.match(r.out, /audit: INTACT: 5 entries, seq 1\.\.5, head 5:[0-9a-f]{24}/);

    // power cut and reboot: a second BOOT chained after the first session
    t.powerCut(); t.run(1); t.powerOn(); t.run(5);
    fs.writeFileSync(dump, t.world.flash.image(part.base));
    r = cli(auditCommand, ["--list", dump]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /\n\s+6 BOOT\s+system/);
    assert.match(r.out, /INTACT: 6 entries/);

    // one bit of the void's amount changed in the dump: exit 1, where and why
    const bytes = new Uint8Array(fs.readFileSync(dump));
    bytes[0x9000 + 3 * 32 + 12] ^= 1; // audit region at 0x319000, sector 0, slot 3 (seq 3), argument b
    fs.writeFileSync(dump, bytes);
    r = cli(auditCommand, [dump]);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /BROKEN at sector 0 slot 3 seq 3: entry does not chain from seq 2/);
    assert.match(r.out, /audit: BROKEN/);
  });

  it("pos-sim run --flash-out writes the raw partition after a scenario, which pos-sim audit reads", () => {
    const out = path.join(dir, "scenario.bin");
    const r = cli(runCommand, ["-q", "--flash-out", out, SCENARIO]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /flash: .*scenario\.bin: 65536 bytes of the raw flash partition at 0x310000/);
    const a = cli(auditCommand, [out]);
    assert.equal(a.code, 0, a.out);
    assert.match(a.out, /INTACT: 6 entries, seq 1\.\.6/); // boot, PIN, void, PIN, Z report, PIN for the audit print
    assert.equal(cli(runCommand, ["--flash-out", out, SCENARIO, SCENARIO]).code, 2);
  });
  it("console settings (the TLS CA, the technician PIN) and the boot-time reprint of an unfinished receipt are on the trail", () => {
    const sc = parseScenario(fs.readFileSync(path.join(__dirname, "../scenarios/power-cut-mid-receipt.json"), "utf8"), "power-cut-mid-receipt.json");
    const t = new SimTarget({});
    const rep = runScenario(sc, t, () => {});
    assert.ok(rep.ok, rep.failure);
    const fakeDer = Buffer.from([0x30, 0x82, 0x00, 0x02, 0x05, 0x00]).toString("base64");
    t.world.mcu.invoke(`posConfig("acqCa", "${fakeDer}")`, undefined, []);
    t.world.mcu.invoke('posConfig("techPin", "1234")', undefined, []); // the supervisor's: refused, not audited
    t.world.mcu.invoke('posConfig("techPin", "4826")', undefined, []);
    t.run(1);
    const dump = path.join(dir, "console.bin");
    fs.writeFileSync(dump, t.world.flash.image(t.world.board.partitions.flash.base));
    const r = cli(auditCommand, ["--list", dump]);
    assert.equal(r.code, 0, r.out);
    const events = r.out.split("\n").filter((l) => /^\s+\d+ [A-Z-]+/.test(l)).map((l) => l.trim().split(/\s+/).slice(1, 5).join(" "));
    assert.deepEqual(events.filter((e) => !e.startsWith("BOOT")), [
      "REPRINT system a=1 b=1", // the cut hit the printing, not a journal write: nothing to recover
      "SETTINGS technician a=6 b=6",
      "SETTINGS technician a=1 b=3",
    ]);
  });
});
