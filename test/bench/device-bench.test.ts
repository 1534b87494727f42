// The device memory bench's own behaviour where no twin runs (fast): the skip line, usage errors.
// The figures themselves come from `make memtest` (docs/journal.md "Device memory").
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as path from "path";

const root = path.join(__dirname, "../..");
function bench(env: { [k: string]: string }, ...args: string[]) {
  const r = spawnSync(process.execPath, [require.resolve("tsx/cli"), path.join(root, "test/bench/device.bench.ts"), ...args],
    { encoding: "utf8", env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("device memory bench (make memtest)", function () {
  this.timeout(60000);

  it("without the twin: one line saying it was skipped and why, exit 0", () => {
    const r = bench({ ESPRUINO_TWIN: "/nonexistent/espruino-twin/twin" });
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.trim().split("\n").length, 1);
    assert.match(r.out, /^device\.bench: skipped: no ESP32 twin at .*nonexistent.*; the device memory figures need the real interpreter\n$/);
  });

  it("bad arguments: exit 2 with the problem", () => {
    const r = bench({}, "--jobs", "0");
    assert.equal(r.code, 2);
    assert.match(r.err, /^device\.bench: --jobs needs a whole number >= 1, got '0'/);
    const u = bench({}, "--bogus");
    assert.equal(u.code, 2);
    assert.match(u.err, /^device\.bench: unknown option '--bogus'/);
  });
});
