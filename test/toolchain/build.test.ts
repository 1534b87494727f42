// The build: deterministic bytes, exit codes that fail CI, and the selftest entry.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { compile } from "../../tools/compile";
import { bundle } from "../../tools/bundle";
import { gate } from "../../tools/gate";
import { loadBoard } from "../../tools/board";
import { selftestEntry } from "../../tools/build";
import { FIRMWARE_ENTRY, ROOT } from "../../tools/paths";

const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const BUILD = path.join(ROOT, "tools", "build.ts");
const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), "tc-build-"));

function runBuild(args: string[]): { status: number | null; out: string } {
  const r = spawnSync(TSX, [BUILD].concat(args), { cwd: ROOT, encoding: "utf8", timeout: 120000 });
  return { status: r.status, out: (r.stdout || "") + (r.stderr || "") };
}

describe("firmware build", function () {
  this.timeout(180000);

  it("is deterministic: two independent builds give the same bytes and map", async () => {
    const once = async () => {
      const c = compile({ roots: [FIRMWARE_ENTRY] });
      assert.deepEqual(c.errors, []);
      return bundle({ entry: FIRMWARE_ENTRY, modules: c.modules, board: loadBoard("pos-esp32-v1"), fileName: "firmware.js" });
    };
    const a = await once();
    const b = await once();
    assert.ok(a.code.length > 1000);
    assert.equal(a.code, b.code);
    assert.equal(JSON.stringify(a.map), JSON.stringify(b.map));
    assert.ok(a.map.sources.every((s) => !path.isAbsolute(s) && !s.includes(os.tmpdir())), "repository-relative sources");
  });

  it("embeds the board and passes the gate for every board", async () => {
    const c = compile({ roots: [FIRMWARE_ENTRY] });
    for (const name of ["pos-esp32-v1", "pos-esp32-uart-msr"]) {
      const out = await bundle({ entry: FIRMWARE_ENTRY, modules: c.modules, board: loadBoard(name), fileName: "firmware.js" });
      assert.deepEqual(gate(out.code, { map: out.map }).errors, [], name);
      assert.ok(out.code.includes(JSON.stringify(name)), name + " is embedded");
      assert.ok(/^[\x00-\x7f]*$/.test(out.code), "ASCII only (the espruino CLI garbles anything else)");
    }
  });

  it("fails with exit code 1 on a TypeScript error, naming file and line", () => {
    const dir = path.join(ROOT, "build", "test-fixtures");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "type-error.ts");
    fs.writeFileSync(file, "export {};\nvar n: number = \"not a number\";\nconsole.log(n);\n");
    const out = tmp();
    const r = runBuild(["firmware", "--board", "pos-esp32-v1", "--entry", file, "--out", out]);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /build\/test-fixtures\/type-error\.ts\(2,5\): error TS2322/);
    assert.ok(!fs.existsSync(path.join(out, "pos-esp32-v1", "type-error.js")), "nothing written");
  });

  it("fails with exit code 1 when the gate rejects, and writes nothing", () => {
    const out = tmp();
    const r = runBuild(["firmware", "--board", "pos-esp32-v1", "--entry", "test/toolchain/fixtures/gate-bad.ts", "--out", out]);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /dialect gate rejected .*gate-bad\.js/);
    assert.match(r.out, /test\/toolchain\/fixtures\/gate-bad\.ts:3:\d+ \(bundle 1:\d+, offset \d+\): Object.freeze/);
    assert.ok(!fs.existsSync(path.join(out, "pos-esp32-v1", "gate-bad.js")));
  });

  it("reports size, gzip size and budget, and exits 0 on success", () => {
    const out = tmp();
    const r = runBuild(["firmware", "--board", "pos-esp32-uart-msr", "--entry", "test/toolchain/fixtures/lowered-ok.ts", "--out", out]);
    assert.equal(r.status, 0, r.out);
    const file = path.join(out, "pos-esp32-uart-msr", "lowered-ok.js");
    const size = fs.statSync(file).size;
    assert.match(r.out, new RegExp("lowered-ok\\.js: " + size + " bytes, \\d+ gzip \\([\\d.]+% of the 163840-byte budget"));
    assert.ok(fs.existsSync(file + ".map"));
  });

  it("rejects bad usage with exit code 2", () => {
    assert.equal(runBuild(["firmwre"]).status, 2);
    assert.equal(runBuild(["firmware", "--entry"]).status, 2);
  });

  it("the selftest entry imports every *.selftest.ts, sorted, then runs them", () => {
    const gen = selftestEntry();
    const imports = gen.text.split("\n").filter((l) => /^import "/.test(l));
    assert.ok(imports.some((l) => l.includes("firmware/util/util.selftest")));
    assert.deepEqual(imports, imports.slice().sort());
    assert.match(gen.text, /runSelfTests\(/);
  });

  it("the selftest bundle builds and passes the gate (test/system/selftest.test.ts runs it in the simulator)", async () => {
    const gen = selftestEntry();
    fs.mkdirSync(path.dirname(gen.file), { recursive: true });
    fs.writeFileSync(gen.file, gen.text);
    const c = compile({ roots: [gen.file] });
    assert.deepEqual(c.errors, []);
    const out = await bundle({ entry: gen.file, modules: c.modules, board: loadBoard("pos-esp32-v1"), fileName: "selftest.js" });
    assert.deepEqual(gate(out.code, { map: out.map }).errors, []);
    assert.match(out.code, /passed, /);
  });
});
