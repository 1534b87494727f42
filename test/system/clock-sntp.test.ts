// SNTP as the clock's second source, on the built bundle in the simulator (docs/time.md "SNTP"):
// the virtual SNTP server at the board's `sntp` host tells UTC (the simulated acquirer is at
// UTC+01:00). With the UTC offset provisioned the clock is set from it at boot once WiFi is up,
// prints the acquirer's time and says SNTP; without the offset nothing is sent; refused replies
// never set it; the host's answers replace an SNTP time; a board without an SNTP server never
// asks; an expired sync asks again; every exchange closes its socket. Needs the build.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SimTarget } from "../../sim/scenario/target-sim";
import { WORLD_EPOCH_MS, WORLD_UTC_OFFSET_MINUTES } from "../../sim/bus/clock";
import { SntpFault } from "../../sim/bus/sntp";
import { run as auditCommand } from "../../sim/commands/audit";
import { bindWorld } from "../../sim/ui/bind";
import { R, sale, play, waitFor } from "../support/flows";

const CLOCK = [{ press: "MENU" }, { press: "0" }, { press: "5" }] as const;
const OUT = [{ press: "CANCEL" }, { press: "CANCEL" }, { press: "CANCEL" }, R];

/** the printed DATE/TIME line as ms whose UTC fields are the local time, or null */
function printedTime(paper: string): number | null {
  const m = /DATE: (\d{4})-(\d\d)-(\d\d) +TIME: (\d\d):(\d\d):(\d\d)/.exec(paper);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : null;
}
const posConfig = (t: SimTarget, name: string, v: unknown) => t.world.mcu.invoke(`posConfig(${JSON.stringify(name)}, ${JSON.stringify(v)})`, undefined, []);
const has = (t: SimTarget, s: string) => t.world.console.some((l) => l.includes(s));
const since = (t: SimTarget, from: number) => t.world.console.slice(from).filter((l) => !l.startsWith("SCREEN"));

/** a terminal provisioned with the offset (posConfig asks SNTP at once), then powered off:
 *  its next boot asks SNTP. Its SNTP server's counters start from zero again. */
function provisioned(offset = WORLD_UTC_OFFSET_MINUTES, board?: string): SimTarget {
  const t = new SimTarget(board ? { board } : {});
  play(t, [R]);
  posConfig(t, "utcOffset", offset);
  t.run(2);
  if (t.sntp) {
    assert.ok(has(t, "posConfig: utcOffset saved") && has(t, "clock: set from SNTP"), "posConfig asks SNTP: " + t.world.console.slice(-4).join(" / "));
    t.sntp.stats.requests = 0; t.sntp.stats.replies = 0; t.sntp.trace.length = 0;
  }
  play(t, [{ powerCut: true }, { wait: 1 }]);
  return t;
}

/** powers on and waits for READY and, if `set`, the boot's SNTP sync; returns where the
 *  console stood at power-on */
function boot(t: SimTarget, set = true): number {
  const from = t.world.console.length;
  play(t, [{ powerOn: true }, R]);
  if (set) assert.ok(waitFor(t, 10, () => since(t, from).includes("clock: set from SNTP")), since(t, from).join(" / "));
  return from;
}

describe("SNTP on the bundle", function () {
  this.timeout(300000);

  it("without a UTC offset nothing is sent and the clock is not set; CLOCK and the log say why", () => {
    const t = new SimTarget();
    play(t, [R, { expectConsole: "wifi: connected", within: 10 }]);
    assert.ok(has(t, 'clock: SNTP not used: no UTC offset set (posConfig("utcOffset", minutes) or MENU 9)'));
    assert.equal(t.sntp!.stats.requests, 0);
    play(t, [...CLOCK, { expectScreen: "NOT SET", within: 5 }, { expectScreen: "SNTP: no UTC offset" }, ...OUT]);
    const before = t.receipt().length;
    play(t, [{ network: "down" }]);
    play(t, [{ network: "up" }, { wait: 3 }]);
    play(t, sale("1200"));
    assert.match(t.receipt().slice(before), /TIME: not set \(no host sync\)/, "the first sale still goes without a time");
  });

  it("with the offset: set at boot once WiFi is up, the acquirer's local time on paper, CLOCK says SNTP; the socket is closed", () => {
    const t = provisioned();
    const lines = since(t, boot(t));
    const wifi = lines.findIndex((l) => l.startsWith("wifi: connected")), set = lines.indexOf("clock: set from SNTP");
    assert.ok(wifi >= 0 && set > wifi, "after WiFi: " + lines.join(" / "));
    assert.match(lines[set + 1]!, /^clock: SNTP pool\.ntp\.org:123 stratum 2, round trip 40 ms, UTC\+01:00$/);
    assert.equal(t.sntp!.stats.requests, 1);
    assert.equal(t.world.net.udpBound(), 1, "only the server's endpoint: the terminal's socket is closed");
    play(t, [...CLOCK, { expectScreen: "2026-12-04", within: 5 }, { expectScreen: "SNTP, " }, ...OUT]);
    // a sale printed with the SNTP clock: the simulated acquirer's local time
    const fromMs = WORLD_EPOCH_MS + t.now() * 1000, before = t.receipt().length;
    play(t, sale("1999"));
    const at = printedTime(t.receipt().slice(before)), toMs = WORLD_EPOCH_MS + t.now() * 1000;
    assert.ok(at !== null && at >= Math.floor(fromMs / 1000) * 1000 && at <= toMs, `printed ${at && new Date(at).toISOString()} within the sale`);
    assert.deepEqual(t.world.errors, []);
  });

  it("refused replies never set the clock, each with its reason; the socket is closed each time", () => {
    const cases: [SntpFault, string][] = [
      ["wrong-origin", "clock: SNTP: reply refused: origin timestamp is not the request's (stale or spoofed)"],
      ["kiss-of-death", "clock: SNTP reply refused: kiss-o'-death (stratum 0, code RATE)"],
      ["bad-leap", "clock: SNTP reply refused: leap indicator 3 (server not synchronised)"],
      ["not-server", "clock: SNTP: reply refused: not a server reply (mode 3)"],
      ["short", "clock: SNTP: reply refused: short reply (40 bytes)"],
      ["past", "clock: SNTP reply refused: time 2000-01-01 01:00:00 is before 2026"],
      ["no-answer", "clock: SNTP: no reply from pool.ntp.org:123 within 5 s"],
      ["late", "clock: SNTP: no reply from pool.ntp.org:123 within 5 s"],
    ];
    const t = provisioned();
    for (const [fault, why] of cases) {
      const from = t.world.console.length;
      t.sntp!.inject(fault);
      play(t, [{ powerOn: true }, R, { expectConsole: why, within: 15 }, { wait: 10 }]);
      assert.ok(!since(t, from).some((l) => l.startsWith("clock: set")), fault + ": " + since(t, from).join(" / "));
      assert.equal(t.world.net.udpBound(), 1, fault + ": socket closed");
      play(t, [...CLOCK, { expectScreen: "NOT SET", within: 5 }, ...OUT, { powerCut: true }, { wait: 1 }]);
    }
    assert.deepEqual(t.sntp!.trace.map((x) => x.fault), cases.map((c) => c[0]), "one request per boot");
    assert.deepEqual(t.world.errors, []);
  });

  it("the network down at boot: no request leaves; CLOCK sync now falls back to SNTP when the host does not answer", () => {
    const t = provisioned();
    play(t, [{ network: "down" }, { powerOn: true }, R, { wait: 5 }]);
    assert.equal(t.sntp!.stats.requests, 0);
    play(t, [{ network: "up" }, { wait: 5 }, { acquirer: { fault: "drop", mti: "0800" } }]);
    play(t, [...CLOCK, { expectScreen: "NOT SET", within: 5 }, { press: "ENTER" }, { expectScreen: "Asking SNTP", within: 60 }, { expectScreen: "SNTP, ", within: 20 }, ...OUT]);
    assert.equal(t.sntp!.stats.requests, 1);
  });

  it("the host wins: a logon's answer replaces the SNTP time; an offset an hour wrong is corrected and pointed at", () => {
    const t = provisioned(0); // UTC+00:00 provisioned where the acquirer is at UTC+01:00
    boot(t);
    play(t, [{ press: "MENU" }, { press: "8" }, { expectScreen: "LOGON OK", within: 40 }, { press: "ENTER" }, R]);
    assert.ok(has(t, "clock: corrected by 3600 s (host): check the UTC offset (utcOffset)"), t.world.console.filter((l) => l.startsWith("clock")).join("\n"));
    play(t, [...CLOCK, { expectScreen: "Host, ", within: 5 }, ...OUT]);
    // a sale now: the host's time, and its request carries DE 12/13 (trusted), so no new sync
    const before = t.receipt().length, fromMs = WORLD_EPOCH_MS + t.now() * 1000;
    play(t, sale("1300"));
    const at = printedTime(t.receipt().slice(before));
    assert.ok(at !== null && at >= Math.floor(fromMs / 1000) * 1000 && at <= WORLD_EPOCH_MS + t.now() * 1000);
  });

  it("a new offset moves an SNTP clock at once (technician, MENU 9) and is audited as a settings change", () => {
    const t = provisioned();
    boot(t);
    play(t, [{ press: "MENU" }, { press: "9" }, { keys: "5678" }, { press: "ENTER" }, { expectScreen: "2 UTC +01:00", within: 5 },
      { press: "2" }, { press: "1" }, { keys: "120" }, { press: "ENTER" }, { expectScreen: "UTC+02:00 saved", within: 5 }, { press: "ENTER" }, ...OUT]);
    const fromMs = WORLD_EPOCH_MS + t.now() * 1000, before = t.receipt().length;
    play(t, sale("1400"));
    const at = printedTime(t.receipt().slice(before))!;
    assert.ok(Math.abs(at - 3600000 - fromMs) < 30000, "an hour ahead of the acquirer now: " + new Date(at).toISOString());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sntp-audit-")), dump = path.join(dir, "flash.bin");
    fs.writeFileSync(dump, t.world.flash.image(t.world.board.partitions.flash.base));
    const out: string[] = [], log = console.log;
    console.log = (...a: unknown[]) => { out.push(a.join(" ")); };
    try { assert.equal(auditCommand(["--list", dump]), 0); } finally { console.log = log; }
    const settings = out.filter((l) => /SETTINGS/.test(l)).map((l) => l.trim().split(/\s+/).slice(1, 5).join(" "));
    assert.deepEqual(settings, ["SETTINGS technician a=5 b=780", "SETTINGS technician a=5 b=840"], "posConfig, then the keypad: a=5, b = minutes + 720");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a sync over 24 h old asks SNTP again (once), and the clock is trusted again", () => {
    const t = provisioned();
    boot(t);
    assert.equal(t.sntp!.stats.requests, 1);
    t.run(86400 + 60);
    play(t, [...CLOCK, { expectScreen: "last sync over 24 h", within: 5 }, ...OUT]);
    assert.ok(waitFor(t, 10, () => t.sntp!.stats.requests === 2), "asked again: " + t.sntp!.stats.requests);
    play(t, [{ wait: 2 }, ...CLOCK, { expectScreen: "SNTP, ", within: 5 }, ...OUT]);
    assert.equal(t.sntp!.stats.requests, 2);
  });

  it("a board without an SNTP server never asks, whatever the offset", () => {
    const t = provisioned(60, "pos-esp32-uart-msr");
    assert.equal(t.sntp, null);
    boot(t, false);
    play(t, [{ wait: 10 }]);
    assert.ok(!t.world.console.some((l) => l.includes("SNTP")), t.world.console.filter((l) => l.includes("SNTP")).join("\n"));
    assert.equal(t.world.net.stats.datagrams, 0);
    play(t, [...CLOCK, { expectScreen: "NOT SET", within: 5 }, { expectNotScreen: "SNTP", within: 1 }, ...OUT]);
  });
  it("make sim's `u` key: the SNTP fault for the next request (none on a board without a server)", () => {
    const t = provisioned();
    const ui = bindWorld(t);
    assert.ok(ui.sntp, "the UI offers SNTP faults on a board with a server");
    assert.deepEqual(ui.sntp!.faults.map((f) => f.id).slice(0, 3), ["no-answer", "wrong-origin", "kiss-of-death"]);
    ui.sntp!.set("kiss-of-death");
    ui.sntp!.set("bad-leap"); // a new choice replaces the one not yet used
    const from = boot(t, false);
    assert.ok(waitFor(t, 10, () => since(t, from).some((l) => l.includes("leap indicator 3"))), since(t, from).join(" / "));
    assert.ok(!since(t, from).some((l) => l.includes("kiss-o'-death")));
    assert.deepEqual(t.sntp!.trace.map((x) => x.fault), ["bad-leap"]);
    assert.equal(bindWorld(new SimTarget({ board: "pos-esp32-uart-msr", boot: false })).sntp, undefined);
  });
});
