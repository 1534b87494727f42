// Every pos-sim command and every tool a make target runs: bad arguments give
// `<prog>: <problem>` and exit code 2, never a stack trace (sim/cli-args.ts).
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as sinon from "sinon";
import { numberArg, parseOptions, UsageError } from "../../sim/cli-args";

const ROOT = path.resolve(__dirname, "../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");

function sh(file: string, args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(TSX, [file, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env }, timeout: 60000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const STACK = /\n\s+at .*:\d+:\d+/;

describe("cli-args: the shared parser on util.parseArgs", () => {
  const spec = { n: { type: "int", min: 1 }, x: { type: "number", min: 0, max: 2 }, s: { type: "string", choices: ["a", "b"] }, f: { type: "boolean" } } as const;
  const problem = (args: string[]) => {
    try { parseOptions(args, spec, { max: 1 }); } catch (e) { assert.ok(e instanceof UsageError, String(e)); return e.message; }
    return "";
  };

  it("parses typed values, = forms and positionals", () => {
    const p = parseOptions(["--n", "3", "--x=1.5", "--s", "b", "--f", "pos"], spec, { max: 1 });
    assert.deepEqual(p.values, { n: 3, x: 1.5, s: "b", f: true });
    assert.deepEqual(p.positionals, ["pos"]);
  });

  it("names the problem in one line", () => {
    assert.equal(problem(["--bogus"]), "unknown option '--bogus'");
    assert.equal(problem(["--n"]), "--n needs a value");
    assert.equal(problem(["--n", "abc"]), "--n needs an integer >= 1, got 'abc'");
    assert.equal(problem(["--n", "1.5"]), "--n needs an integer >= 1, got '1.5'");
    assert.equal(problem(["--n", ""]), "--n needs an integer >= 1, got ''");
    assert.equal(problem(["--n", "0x10"]), "--n needs an integer >= 1, got '0x10'");
    assert.equal(problem(["--x", "3"]), "--x needs a number from 0 to 2, got '3'");
    assert.equal(problem(["--x", "Infinity"]), "--x needs a number from 0 to 2, got 'Infinity'");
    assert.match(problem(["--x", "-1"]), /^--x needs a value \(write --x=-X/);
    assert.equal(problem(["--s", "c"]), "--s must be one of a, b, got 'c'");
    assert.equal(problem(["--f=1"]), "--f takes no value");
    assert.match(problem(["a", "b"]), /too many arguments/);
    assert.equal(numberArg("--k", " 7 ", { type: "int" }), 7);
  });
});

describe("pos-sim commands: bad arguments exit 2 with `pos-sim <command>: <problem>`", function () {
  this.timeout(180000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pos-cli-"));
  const file = path.join(dir, "a-file");
  fs.writeFileSync(file, "x");
  const cases: [string, string[], RegExp][] = [
    ["boot", ["--bundle", dir], /is a directory, not a bundle file/],
    ["boot", ["--seconds", "abc"], /--seconds needs a number >= 0, got 'abc'/],
    ["boot", ["stray"], /unexpected argument 'stray'/],
    ["snapshot", ["--out", file], /--out .*a-file exists and is not a directory/],
    ["snapshot", ["--out", path.join(file, "sub")], /a-file exists and is not a directory/],
    ["snapshot", ["--seconds"], /--seconds needs a value/],
    ["sim", ["--speed", "0"], /--speed needs a number >= 0\.01/],
    ["sim", ["--snapshots", file], /exists and is not a directory/],
    ["sim", ["--console", "--bundle", dir], /is a directory, not a bundle file/],
    ["run", [], /missing <scenario\.json>/],
    ["run", [dir], /cannot read/],
    ["run", ["--frobnicate", "x.json"], /unknown option '--frobnicate'/],
    ["acquirer", ["--port", "abc"], /--port needs an integer from 1 to 65535, got 'abc'/],
    ["acquirer", ["--port", "5000", "--fault", "0200:late:x"], /--fault wants/],
    ["escpos", [dir], /is a directory/],
    ["escpos", ["x.bin", "--scale", "9"], /--scale needs an integer from 1 to 8/],
    ["track", ["--track", "3", "0101"], /--track needs an integer from 1 to 2/],
    ["tlv", [], /missing <hex>/],
    ["tlv", ["zz"], /not hex/],
    ["tlv", ["--mask", "5A"], /unknown option '--mask'/],
    ["iso8583", ["xyz"], /not hex/],
  ];
  for (const [cmd, args, msg] of cases) {
    it(`${cmd} ${args.join(" ").replace(dir, "<dir>")}`, async () => {
      const out: string[] = [];
      const keep = (...a: unknown[]) => { out.push(a.join(" ")); };
      sinon.stub(console, "log").callsFake(keep);
      sinon.stub(console, "error").callsFake(keep);
      let code: number;
      try { code = await require(path.join(ROOT, "sim/commands", cmd + ".ts")).run(args); } finally { sinon.restore(); }
      const text = out.join("\n");
      assert.equal(code, 2, text);
      assert.ok(text.startsWith(`pos-sim ${cmd}: `), text);
      assert.match(text.split("\n")[0]!, msg);
      assert.doesNotMatch(text, STACK);
    });
  }

  it("as processes: boot --bundle <dir> and snapshot --out <file> print one line and exit 2 (no EISDIR/EEXIST trace)", () => {
    for (const args of [["boot", "--bundle", dir], ["snapshot", "--out", file]]) {
      const r = sh("sim/cli.ts", args);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, new RegExp(`^pos-sim ${args[0]}: `));
      assert.doesNotMatch(r.err, STACK);
      assert.doesNotMatch(r.err, /EISDIR|EEXIST/);
    }
  });

  it("the example in `pos-sim tlv --help` decodes", async () => {
    const log = sinon.stub(console, "log");
    let code: number;
    try { code = require(path.join(ROOT, "sim/commands/tlv.ts")).run(["--help"]); } finally { sinon.restore(); }
    assert.equal(code, 0);
    const help = log.args.map((a) => a.join(" ")).join("\n");
    const example = /e\.g\. pos-sim tlv (\S+)/.exec(help);
    assert.ok(example, help);
    const r = sh("sim/cli.ts", ["tlv", example[1]!]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^6F \(35\) FCI template\n/);
    assert.match(r.out, /4F \(7\) AID: A0000000041010/);
  });
});

describe("make-target tools reject bad numbers with exit 2", function () {
  this.timeout(180000);
  const cases: [string, string[], RegExp][] = [
    ["test/journal/soak.ts", ["--cuts", "abc"], /^soak: --cuts needs an integer >= 1, got 'abc'/],
    ["test/journal/soak.ts", ["--sectors", "1"], /^soak: --sectors needs an integer from 2/],
    ["test/fuzz/run.ts", ["--iterations", "1e"], /^fuzz: --iterations needs an integer >= 1, got '1e'/],
    ["test/fuzz/run.ts", ["--seed", "x"], /^fuzz: --seed needs an integer/],
    ["test/fuzz/cards.fuzz.ts", ["--iterations", "0"], /^cards.fuzz: --iterations needs an integer >= 1/],
    ["test/bench/run.ts", ["--sales", "-5"], /^bench: --sales needs a value/],
    ["test/bench/run.ts", ["--sales", "abc"], /^bench: --sales needs an integer >= 1, got 'abc'/],
    ["test/bench/run.ts", ["nosuch"], /^bench: no bench named nosuch\*/],
    ["test/bench/sim.bench.ts", ["abc"], /^sim.bench: sales count needs an integer >= 1, got 'abc'/],
  ];
  for (const [tool, args, msg] of cases) {
    it(`${tool} ${args.join(" ")}`, () => {
      const r = sh(tool, args);
      assert.equal(r.code, 2, r.out + r.err);
      assert.match(r.err, msg);
      assert.doesNotMatch(r.err, STACK);
    });
  }
});
