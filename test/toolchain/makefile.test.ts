// The Makefile's own checks, run without building anything.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
/** a top-level make, also when these tests run under `make test` (no inherited MAKEFLAGS/MAKELEVEL) */
function make(args: string[]) {
  const env = { ...process.env };
  for (const k of ["MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "BOARD", "PORT"]) delete env[k];
  return spawnSync("make", args, { cwd: ROOT, encoding: "utf8", env });
}

describe("Makefile: BOARD= is checked before anything is built", () => {
  for (const target of ["sim", "flash", "flash-dry"]) {
    it(`make ${target} BOARD=<typo> stops at once with the known boards`, () => {
      const t0 = Date.now();
      const r = make([target, "BOARD=pos-esp32-vl", "PORT=/dev/null"]);
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /unknown board 'pos-esp32-vl'; known boards: pos-esp32-80mm pos-esp32-tls pos-esp32-uart-msr pos-esp32-v1/);
      assert.equal(r.stdout, "", "no recipe ran (no install, no build)");
      assert.ok(Date.now() - t0 < 5000, "no build before the error");
    });
  }

  it("a known board passes the check (dry run)", () => {
    const r = make(["-n", "sim", "BOARD=pos-esp32-uart-msr"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /sim\/cli\.ts sim --board pos-esp32-uart-msr/);
  });
});

describe("git ignores generated output", () => {
  it("snapshots/ (the UI's x key and pos-sim snapshot) is ignored", () => {
    const r = spawnSync("git", ["check-ignore", "-q", "snapshots/display.png"], { cwd: ROOT });
    assert.equal(r.status, 0, "snapshots/display.png is not ignored");
  });
});
