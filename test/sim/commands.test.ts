import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as sinon from "sinon";
import { run as boot } from "../../sim/commands/boot";

/** runs a command with console.log/error stubbed; their lines come back with the exit code */
function capture(fn: () => number): { code: number; out: string[]; err: string[] } {
  const log = sinon.stub(console, "log"), error = sinon.stub(console, "error");
  try {
    const code = fn();
    return { code, out: log.args.map((a) => a.join(" ")), err: error.args.map((a) => a.join(" ")) };
  } finally { sinon.restore(); }
}

describe("sim runtime: pos-sim boot", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pos-sim-boot-"));
  const file = (name: string, text: string) => { const p = path.join(dir, name); fs.writeFileSync(p, text); return p; };

  it("prints the console of a bundle and exits 0", () => {
    const r = capture(() => boot(["--bundle", file("ok.js", `console.log("hi"); setTimeout(function(){ console.log("later"); }, 1500);`), "--seconds", "2"]));
    assert.equal(r.code, 0);
    assert.deepEqual(r.out, ["hi", "later"]);
  });

  it("exits 1 with the position when the bundle throws while loading", () => {
    const r = capture(() => boot(["--bundle", file("bad.js", `var a = 1;\nnope();`)]));
    assert.equal(r.code, 1);
    assert.match(r.err.join("\n"), /threw while loading: ReferenceError: nope is not defined at bad\.js:2:1/);
  });

  it("explains an unknown board, a missing bundle and a bad option", () => {
    assert.match(capture(() => boot(["--board", "nope"])).err[0]!, /unknown board 'nope'; known boards: .*pos-esp32-v1/);
    assert.match(capture(() => boot(["--bundle", path.join(dir, "none.js")])).err[0]!, /bundle not built: .*none\.js is missing \(run `make build`\)/);
    const bad = capture(() => boot(["--seconds", "x"]));
    assert.equal(bad.code, 2);
    assert.match(bad.err[0]!, /--seconds needs a number/);
  });
});
