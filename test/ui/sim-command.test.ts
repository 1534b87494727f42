// pos-sim sim refuses, with a plain message, what would not run on the board.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as sinon from "sinon";
import { run } from "../../sim/commands/sim";

describe("pos-sim sim: clear errors before anything boots", () => {
  let out: string[];
  beforeEach(() => {
    out = [];
    const keep = (...a: unknown[]) => { out.push(a.join(" ")); };
    sinon.stub(console, "log").callsFake(keep);
    sinon.stub(console, "error").callsFake(keep);
  });
  afterEach(() => sinon.restore());

  it("names the known boards for an unknown one", async () => {
    assert.equal(await run(["--console", "--board", "no-such-board"]), 2);
    sinon.restore();
    assert.match(out.join("\n"), /unknown board 'no-such-board'; known boards: .*pos-esp32-v1/);
  });

  it("says make build when the bundle is missing", async () => {
    assert.equal(await run(["--console", "--bundle", "/nonexistent/firmware.js"]), 2);
    sinon.restore();
    assert.match(out.join("\n"), /bundle not built: .* \(run `make build`\)/);
  });

  it("refuses a bundle that fails the dialect gate, listing what the board would not run", async () => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pos-bad-")), "firmware.js");
    fs.writeFileSync(f, "var m = new Map();\nfunction f(...a){ return a; }\n");
    assert.equal(await run(["--console", "--bundle", f]), 2);
    sinon.restore();
    const text = out.join("\n");
    assert.match(text, /fails the Espruino dialect gate/);
    assert.match(text, /Map does not exist on Espruino/);
    assert.match(text, /rest parameter/);
  });

  it("rejects unknown options with the usage", async () => {
    assert.equal(await run(["--frobnicate"]), 2);
    sinon.restore();
    assert.match(out.join("\n"), /unknown option '--frobnicate'[\s\S]*usage: pos-sim sim/);
  });
});
