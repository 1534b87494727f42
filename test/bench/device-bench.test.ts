// The device memory bench's own behaviour where no twin runs (fast): the skip line, usage errors.
// The figures themselves come from `make memtest` (docs/journal.md "Device memory").
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
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

  /** a stand-in twin: boots reach READY; memtest runs per MODE: "slow" (a flow never ends, the
   *  growth run stops at sale 30 of 1000) or "oom" (a flow runs out of memory) */
  function fakeTwin(mode: "slow" | "oom"): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-twin-"));
    fs.writeFileSync(path.join(dir, "espruino-esp32twin"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    fs.writeFileSync(path.join(dir, "twin"), `#!/bin/bash
for a in "$@"; do last=$a; done
case "$last" in
  *memtest-growth*) for n in 10 20 30; do echo "memtest: after $n sales 3700 ($n s)"; done ;;
  *memtest*) echo "memtest: idle 3500 gc 3490"; echo "memtest: flow journal-probe start"
    ${mode === "oom" ? "echo 'ERROR: OUT OF MEMORY'" : "echo 'memtest: flow journal-probe peak 3600 [1 s]'; echo 'memtest: flow sale-swipe start'"} ;;
  *) echo "SCREEN READY | DEMO STORE"; echo "bench-idle 4800"; echo "bench-idle-gc 4790" ;;
esac
echo "twin: jsvars used 4800 of 16383, free 11583"
`, { mode: 0o755 });
    return path.join(dir, "twin");
  }

  it("--tolerate-slow: a run that only ran out of time is reported and passes; an out-of-memory still fails", function () {
    this.timeout(300000);
    const slow = bench({ ESPRUINO_TWIN: fakeTwin("slow") }, "--no-save", "--flows-seconds", "1", "--boot-seconds", "1", "--growth-seconds", "1");
    assert.equal(slow.code, 1, slow.out + slow.err);
    assert.match(slow.out, /device\.peak_jsvars: failed: not finished in/);
    assert.match(slow.out, /device\.growth_per_1000_sales: 0 JsVars .*estimate: 30 of 1000 sales/);
    const tolerated = bench({ ESPRUINO_TWIN: fakeTwin("slow") }, "--tolerate-slow", "--no-save", "--flows-seconds", "1", "--boot-seconds", "1", "--growth-seconds", "1");
    assert.equal(tolerated.code, 0, tolerated.out + tolerated.err);
    assert.match(tolerated.out, /only for lack of time: --tolerate-slow/);
    const oom = bench({ ESPRUINO_TWIN: fakeTwin("oom") }, "--tolerate-slow", "--no-save", "--flows-seconds", "1", "--boot-seconds", "1", "--growth-seconds", "1");
    assert.equal(oom.code, 1, oom.out + oom.err);
    assert.match(oom.out, /device\.peak_jsvars: failed: OUT OF MEMORY in flow journal-probe/);
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
