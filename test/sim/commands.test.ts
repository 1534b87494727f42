import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { run as boot } from "../../sim/commands/boot";

function capture(fn: () => number): { code: number; out: string[]; err: string[] } {
  const out: string[] = [], err: string[] = [];
  const log = console.log, error = console.error;
  console.log = (...a: any[]) => { out.push(a.join(" ")); };
  console.error = (...a: any[]) => { err.push(a.join(" ")); };
  try { return { code: fn(), out, err }; } finally { console.log = log; console.error = error; }
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
