// Every committed scenario (test/scenarios/*.json) on the built bundle in the simulator, plus
// the runner's own behaviour (format errors, failure reports) on the fake-port target.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseScenario, ScenarioError } from "../../sim/scenario/format";
import { runScenario } from "../../sim/scenario/runner";
import { FakeTarget } from "../support/target-fake";
import { SimTarget, scenarioOptions } from "../../sim/scenario/target-sim";
import * as os from "os";
import { run as runCommand } from "../../sim/commands/run";
import { imageInfo } from "../../sim/update/image";

/** runs `pos-sim run ...` in-process, capturing what it prints */
function cli(args: string[]): { code: number; out: string } {
  const out: string[] = [];
  const log = console.log, err = console.error;
  console.log = (...a: any[]) => { out.push(a.join(" ")); };
  console.error = (...a: any[]) => { out.push(a.join(" ")); };
  try { return { code: runCommand(args) as number, out: out.join("\n") }; } finally { console.log = log; console.error = err; }
}

const DIR = path.join(__dirname, "../scenarios");
const files = fs.readdirSync(DIR).filter((f) => f.endsWith(".json")).sort();

describe("scenario runner", () => {
  it("rejects malformed scenarios with the file, the path of the bad field and the reason", () => {
    const bad = (text: string, msg: RegExp) => assert.throws(() => parseScenario(text, "t.json"), (e: Error) => {
      assert.ok(e instanceof ScenarioError, String(e));
      assert.match(e.message, msg);
      return true;
    });
    const steps = (...s: unknown[]) => JSON.stringify({ name: "x", steps: s });
    bad("{", /^t\.json: not valid JSON/);
    bad('{"name":"x","steps":[]}', /^t\.json: steps: must be a non-empty array/);
    bad('{"name":"x","steps":[{"prss":"1"}]}', /^t\.json: steps\[0\]\.prss \(step 1\): unknown action "prss"/);
    bad('{"name":"x","steps":[{"press":"X"}]}', /^t\.json: steps\[0\]\.press \(step 1\): unknown key "X"/);
    bad('{"name":"x","steps":[{"press":"1","keys":"2"}]}', /exactly one action/);
    bad('{"name":"x","steps":[{"acquirer":{"fault":"nope"}}]}', /steps\[0\]\.acquirer\.fault \(step 1\): .*fault/);
    bad('{"name":"x","steps":[{"press":"1","within":3}]}', /steps\[0\]\.within \(step 1\): "within" applies only to/);
    bad('{"name":"x","settings":{},"steps":[{"wait":1}]}', /^t\.json: settings: unknown top-level field/);
    // cards and ledger fields are checked against what exists, not at run time
    bad(steps({ wait: 1 }, { swipe: "visa-gold" }), /^t\.json: steps\[1\]\.swipe \(step 2\): unknown swipe card "visa-gold" \(known: .*visa-good/);
    bad(steps({ tap: "amex-emv" }), /^t\.json: steps\[0\]\.tap \(step 1\): unknown tap card "amex-emv"/);
    bad(steps({ expectLedger: { charge: 1 } }), /^t\.json: steps\[0\]\.expectLedger\.charge \(step 1\): unknown ledger field \(fields: charges,/);
    bad(steps({ expectLedger: { charges: "1" } }), /steps\[0\]\.expectLedger\.charges \(step 1\): must be a whole number >= 0/);
    bad(steps({ expectLedger: { charges: 1 }, within: 5 }), /"within" applies only to/);
    bad(steps({ acquirer: { fault: "late", delay: 500 } }), /steps\[0\]\.acquirer\.delay \(step 1\): unknown field/);
    bad(steps({ acquirer: { fault: "drop", count: 0 } }), /acquirer\.count \(step 1\): must be a whole number >= 1, got 0/);
    bad(steps({ acquirer: { fault: "drop", mti: 200 } }), /acquirer\.mti \(step 1\): must be four digits/);
    bad(steps({ acquirer: { fault: "drop", rc: "05" } }), /acquirer\.rc \(step 1\): "rc" applies only to fault "rc"/);
    bad(steps({ wait: -1 }), /steps\[0\]\.wait \(step 1\): "wait" takes seconds/);
    // the virtual SNTP server's faults
    bad(steps({ sntp: { fault: "kod" } }), /^t\.json: steps\[0\]\.sntp\.fault \(step 1\): "sntp" takes \{ "fault": one of no-answer, wrong-origin, kiss-of-death, bad-leap, not-server, short, late, past, "count": n \}, got "kod"/);
    bad(steps({ sntp: "no-answer" }), /steps\[0\]\.sntp \(step 1\): "sntp" takes/);
    bad(steps({ sntp: { fault: "late", delayMs: 9000 } }), /steps\[0\]\.sntp\.delayMs \(step 1\): unknown field \(fields: fault, count\)/);
    bad(steps({ sntp: { fault: "late", count: 0 } }), /steps\[0\]\.sntp\.count \(step 1\): must be a whole number >= 1, got 0/);
    assert.doesNotThrow(() => parseScenario(steps({ sntp: { fault: "bad-leap", count: 2 } }), "t.json"));
    // the acquirer block
    const acq = (a: unknown) => JSON.stringify({ name: "x", acquirer: a, steps: [{ wait: 1 }] });
    bad(acq({ declineRules: [null] }), /^t\.json: acquirer\.declineRules\[0\]: must be an object \{"endsWith": digits, "rc": two characters\}, got null/);
    bad(acq({ declineRules: [{ endsWith: 51, rc: "51" }] }), /^t\.json: acquirer\.declineRules\[0\]\.endsWith: must be a string of digits/);
    bad(acq({ declineRules: [{ endsWith: "51", rc: 51 }] }), /^t\.json: acquirer\.declineRules\[0\]\.rc: must be a two-character response code, got 51/);
    bad(acq({ declineRules: [{ endsWith: "51", rc: "51", when: "x" }] }), /acquirer\.declineRules\[0\]\.when: unknown field/);
    bad(acq({ declineRules: "51:51" }), /^t\.json: acquirer\.declineRules: must be an array/);
    bad(acq({ decline: [] }), /^t\.json: acquirer\.decline: unknown field \(fields: declineRules\)/);
    bad(acq([]), /^t\.json: acquirer: must be an object/);
    // the update server
    const upd = (u: unknown) => JSON.stringify({ name: "x", updateServer: u, steps: [{ wait: 1 }] });
    parseScenario(upd({}), "t.json");
    parseScenario(upd({ version: 7, key: "ab".repeat(32) }), "t.json");
    bad(upd(true), /^t\.json: updateServer: must be an object like \{"version": 2\}/);
    bad(upd({ version: 0 }), /^t\.json: updateServer\.version: must be a whole number from 1 to 4294967295 \(the version offered\), got 0$/);
    bad(upd({ version: 2.5 }), /^t\.json: updateServer\.version: must be a whole number/);
    bad(upd({ version: "2" }), /^t\.json: updateServer\.version: must be a whole number .*got "2"$/);
    bad(upd({ version: 2 ** 32 }), /^t\.json: updateServer\.version: must be a whole number/);
    bad(upd({ key: "1011" }), /^t\.json: updateServer\.key: must be the update key as 32 to 64 hex digits, got "1011"$/);
    bad(upd({ key: "zz".repeat(16) }), /^t\.json: updateServer\.key: must be the update key/);
    bad(upd({ image: "v2.js" }), /^t\.json: updateServer\.image: unknown field \(fields: version, key\)$/);
  });

  it("updateServer offers the bundle as the version asked (default: its tag's + 1) on the update port; a bundle with no firmware tag is exit 2", () => {
    let t = new SimTarget({ updateServer: {}, boot: false });
    const running = imageInfo(fs.readFileSync(t.world.bundlePath, "latin1"))!.version;
    assert.equal(t.updateServer!.offer.version, running + 1);
    t = new SimTarget({ updateServer: { version: 7 }, boot: false });
    assert.equal(t.updateServer!.offer.version, 7);
    assert.equal(new SimTarget({ boot: false }).updateServer, null, "none unless asked");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scn-"));
    const bundle = path.join(dir, "x.js"), sc = path.join(dir, "u.json");
    fs.writeFileSync(bundle, 'console.log("not a firmware")');
    fs.writeFileSync(sc, JSON.stringify({ name: "u", updateServer: {}, steps: [{ wait: 1 }] }));
    const r = cli(["--bundle", bundle, sc]);
    assert.equal(r.code, 2);
    assert.equal(r.out, `pos-sim run: updateServer: ${bundle} is not a POS firmware bundle (no POSFW tag): nothing to offer`);
  });

  it("pos-sim run checks every file before running any", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scn-"));
    const good = path.join(dir, "good.json"), bad = path.join(dir, "bad.json");
    fs.writeFileSync(good, JSON.stringify({ name: "good", steps: [{ note: "would run" }] }));
    fs.writeFileSync(bad, JSON.stringify({ name: "bad", acquirer: { declineRules: [null] }, steps: [{ wait: 1 }] }));
    const r = cli([good, bad]);
    assert.equal(r.code, 2);
    assert.equal(r.out, `pos-sim run: ${bad}: acquirer.declineRules[0]: must be an object {"endsWith": digits, "rc": two characters}, got null`);
  });

  it("runs a sale on the flow with fake ports and reports a failed expectation clearly", () => {
    const ok = runScenario(parseScenario(JSON.stringify({ name: "fake sale", steps: [
      { expectScreen: "READY" }, { keys: "1999" }, { press: "ENTER" }, { expectScreen: "swipe or tap" }, { swipe: "visa-good" },
      { expectScreen: "APPROVED" }, { expectReceipt: "MERCHANT COPY" }, { press: "ENTER" }, { expectReceipt: "CUSTOMER COPY" },
      { expectScreen: "READY" }, { expectLedger: { charges: 1 } },
    ] })), new FakeTarget());
    assert.ok(ok.ok, ok.failure);
    const bad = runScenario(parseScenario(JSON.stringify({ name: "fails", steps: [{ keys: "1051" }, { press: "ENTER" }, { swipe: "visa-good" }, { expectScreen: "APPROVED", within: 2 }] })), new FakeTarget());
    assert.equal(bad.ok, false);
    assert.match(bad.failure!, /step 4 \(expectScreen "APPROVED"\): screen after 2 s shows: DECLINED \| SALE 10\.51 \| RC 51/);
    // an SNTP fault on a target without a server (fake ports, or a board without "sntp") fails clearly
    const noSntp = runScenario(parseScenario(JSON.stringify({ name: "n", steps: [{ sntp: { fault: "no-answer" } }] })), new FakeTarget());
    assert.match(noSntp.failure!, /step 1 \(sntp \{"fault":"no-answer"\}\): this target has no SNTP server/);
  });

  it("pos-sim run: exit 2 with a clear message for a missing or invalid file, 1 for a failed expectation", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scn-"));
    const missing = cli([path.join(dir, "nope.json")]);
    assert.equal(missing.code, 2);
    assert.match(missing.out, /cannot read .*nope\.json/);
    fs.writeFileSync(path.join(dir, "bad.json"), '{"name":"b","steps":[{"press":"KEY"}]}');
    const bad = cli([path.join(dir, "bad.json")]);
    assert.equal(bad.code, 2);
    assert.match(bad.out, /bad\.json: steps\[0\]\.press \(step 1\): unknown key "KEY"/);
    fs.writeFileSync(path.join(dir, "fail.json"), JSON.stringify({ name: "f", steps: [{ expectScreen: "READY", within: 20 }, { expectScreen: "NOT THERE", within: 1 }] }));
    const fail = cli(["--quiet", path.join(dir, "fail.json")]);
    assert.equal(fail.code, 1);
    assert.match(fail.out, /FAIL f: step 2 \(expectScreen "NOT THERE"\): screen after 1 s shows: READY/);
    const board = cli(["--board", "no-such-board", path.join(dir, "fail.json")]);
    assert.equal(board.code, 2);
    assert.match(board.out, /unknown board 'no-such-board'/);
  });

  it("every scenario file parses", () => {
    assert.ok(files.length >= 15, "scenario files: " + files.length);
    for (const f of files) parseScenario(fs.readFileSync(path.join(DIR, f), "utf8"), f);
  });
});

describe("scenarios on the bundle (test/scenarios)", function () {
  this.timeout(300000);
  for (const f of files) {
    it(f, () => {
      const sc = parseScenario(fs.readFileSync(path.join(DIR, f), "utf8"), f);
      const t = new SimTarget({ board: sc.board ?? "pos-esp32-v1", ...scenarioOptions(sc) });
      const lines: string[] = [];
      const rep = runScenario(sc, t, (l) => lines.push(l));
      const errs = t.world.errors.map((e) => `${e.message} ${e.position ?? ""}`);
      assert.ok(rep.ok, `${rep.failure}\n${lines.join("\n")}\nfirmware errors: ${errs.join("; ") || "none"}\nconsole tail:\n${t.world.console.slice(-15).join("\n")}`);
      assert.deepEqual(errs, [], "firmware exceptions");
    });
  }
});
