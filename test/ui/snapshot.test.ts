import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PNG } from "pngjs";
import * as sinon from "sinon";
import { run } from "../../sim/commands/snapshot";

const ROOT = path.resolve(__dirname, "../..");
const BUNDLE = path.join(ROOT, "dist/pos-esp32-v1/firmware.js");

(fs.existsSync(BUNDLE) ? describe : describe.skip)("pos-sim snapshot", function () {
  this.timeout(60000);
  let log: string[];
  beforeEach(() => {
    log = [];
    const keep = (...a: unknown[]) => { log.push(a.join(" ")); };
    sinon.stub(console, "log").callsFake(keep);
    sinon.stub(console, "error").callsFake(keep);
  });
  afterEach(() => sinon.restore());

  it("writes the display and the printed receipt as PNG after a scenario", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "pos-snap-"));
    const code = run(["--scenario", path.join(ROOT, "test/scenarios/sale-swipe-approved.json"), "--out", out]);
    sinon.restore();
    assert.equal(code, 0, log.join("\n"));
    const display = PNG.sync.read(fs.readFileSync(path.join(out, "display.png")));
    assert.equal(display.width / display.height, 2, "128x64 scaled");
    const lit = display.data.filter((_v, i) => i % 4 === 0 && display.data[i]! > 128).length;
    assert.ok(lit > 100, "the panel shows something");
    const receipt = PNG.sync.read(fs.readFileSync(path.join(out, "receipt.png")));
    assert.ok(receipt.height > receipt.width * 2, "a long strip of paper");
  });

  it("rejects bad options and unreadable scenarios with exit code 2", () => {
    assert.equal(run(["--bogus"]), 2);
    assert.equal(run(["--scenario", "/nonexistent.json"]), 2);
    sinon.restore();
    assert.ok(log.some((l) => l.includes("cannot read /nonexistent.json")));
  });
});
