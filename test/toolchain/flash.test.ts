// Flashing: the offline dry run writes exactly what the espruino CLI would send, and the
// command fails clearly without a port or a bundle.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as acorn from "acorn";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkUpload, cliArgs, parseArgs } from "../../sim/toolchain/flash";
import { ROOT } from "../../sim/toolchain/paths";
import { ESPRUINO_MODULES } from "../../sim/toolchain/dialect";

const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const FLASH = path.join(ROOT, "sim", "toolchain", "flash.ts");

function runFlash(args: string[]): { status: number | null; out: string } {
  const r = spawnSync(TSX, [FLASH].concat(args), { cwd: ROOT, encoding: "utf8", timeout: 120000 });
  return { status: r.status, out: (r.stdout || "") + (r.stderr || "") };
}

describe("flashing with the espruino CLI", function () {
  this.timeout(120000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tc-flash-"));
  // a bundle bigger than one 1 KB chunk, with quotes, backslashes and newlines in strings
  const bundle = path.join(dir, "firmware.js");
  const code = "!function(){var s=\"a\\\"b\\\\c\\n'\";" + "var x=[" + Array.from({ length: 700 }, (_, i) => i).join(",") + "];console.log(s,x.length)}();";
  fs.writeFileSync(bundle, code);

  it("dry run: Storage.write chunks of .bootcde that reassemble to the bundle, then load()", () => {
    const upload = path.join(dir, "upload.js");
    const r = runFlash(["--board", "pos-esp32-v1", "--file", bundle, "--dry-run", upload]);
    assert.equal(r.status, 0, r.out);
    const text = fs.readFileSync(upload, "utf8");
    acorn.parse(text, { ecmaVersion: 5 }); // the upload itself is ES5 the interpreter parses
    assert.match(text, /^require\("Storage"\)\.write\("\.bootcde",/);
    assert.match(text.trim(), /load\("\.bootcde"\)$/);
    const check = checkUpload(text, code);
    assert.deepEqual(check.problems, []);
    assert.equal(check.bytes, code.length);
    assert.equal(check.chunks, Math.ceil(code.length / 1024));
    assert.match(r.out, new RegExp(check.chunks + " Storage.write chunks, " + code.length + " bytes"));
  });

  it("the built firmware's dry run (make flash-dry) when dist/ has it", function () {
    const fw = path.join(ROOT, "dist", "pos-esp32-v1", "firmware.js");
    if (!fs.existsSync(fw)) this.skip();
    const upload = path.join(dir, "fw-upload.js");
    const r = runFlash(["--board", "pos-esp32-v1", "--dry-run", upload]);
    assert.equal(r.status, 0, r.out);
    assert.deepEqual(checkUpload(fs.readFileSync(upload, "utf8"), fs.readFileSync(fw, "utf8")).problems, []);
  });

  it("checkUpload catches a missing chunk, a wrong file name and a missing load()", () => {
    const ok = 'require("Storage").write(".bootcde","ab",0,4);\nrequire("Storage").write(".bootcde","cd",2);\nload(".bootcde")\n';
    assert.deepEqual(checkUpload(ok, "abcd").problems, []);
    assert.ok(checkUpload(ok.replace(/.*"cd".*\n/, ""), "abcd").problems.some((p) => /reassemble/.test(p)));
    assert.ok(checkUpload(ok.replace(".bootcde\",\"ab", ".boot0\",\"ab"), "abcd").problems.some((p) => /writes ".boot0"/.test(p)));
    assert.ok(checkUpload(ok.replace('load(".bootcde")', ""), "abcd").problems.some((p) => /no load/.test(p)));
  });

  it("uses the offline-safe CLI options: local board JSON, Storage upload, no CLI minify, 115200 baud", () => {
    const args = cliArgs("dist/x/firmware.js", { port: "/dev/ttyUSB0" }, 115200);
    const joined = args.join(" ");
    assert.match(joined, /-p \/dev\/ttyUSB0 -b 115200/);
    assert.match(joined, /--board \S*boards\/esp32-cli\.json/);
    assert.match(joined, /--storage \.bootcde:-/);
    assert.match(joined, /MINIFICATION_Mangle=false/);
    assert.ok(args.indexOf("-m") < 0, "no CLI minification");
    const cliBoard = JSON.parse(fs.readFileSync(path.join(ROOT, "boards", "esp32-cli.json"), "utf8"));
    assert.equal(cliBoard.info.binary_version, "2v29");
    assert.equal(cliBoard.chip.saved_code.address, 0x320000);
    // every module the gate lets firmware require() must be built in for the CLI, or it goes online
    assert.deepEqual([...ESPRUINO_MODULES].sort(), cliBoard.info.builtin_modules.slice().sort());
  });

  it("clear errors: no port, no bundle, unknown board", () => {
    assert.match(String(parseArgs(["--board", "pos-esp32-v1"])), /no port given/);
    let r = runFlash(["--board", "pos-esp32-v1", "--port", "/dev/tty-no-such-port"]);
    if (fs.existsSync(path.join(ROOT, "dist", "pos-esp32-v1", "firmware.js"))) {
      assert.equal(r.status, 1, r.out);
      assert.match(r.out, /no such port \/dev\/tty-no-such-port/);
    }
    r = runFlash(["--board", "pos-esp32-v1", "--file", path.join(dir, "missing.js"), "--dry-run", path.join(dir, "u.js")]);
    assert.equal(r.status, 1);
    assert.match(r.out, /missing\.js does not exist: run `make build BOARD=pos-esp32-v1` first/);
    r = runFlash(["--board", "nope", "--port", "/dev/ttyUSB0"]);
    assert.equal(r.status, 2);
    assert.match(r.out, /boards\/nope\.json: no such board file/);
  });
});
