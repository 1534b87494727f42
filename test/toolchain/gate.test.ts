// The dialect gate against the real interpreter's verdicts (../shared/espruino-probes.json)
// and, rule by rule, against TypeScript fixtures built through the whole pipeline.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as vm from "vm";
import { gate } from "../../tools/gate";
import { regexProblems } from "../../tools/regex";
import { compile } from "../../tools/compile";
import { bundle, BuildError } from "../../tools/bundle";
import { loadBoard } from "../../tools/board";
import { ROOT } from "../../tools/paths";

const PROBES = path.join(ROOT, "..", "shared", "espruino-probes.json");
const FIXTURES = path.join(__dirname, "fixtures");

/** FAIL probes (run, but differently) that the gate cannot see statically: listed with the
 *  reason in docs/coding-rules.md. Every other FAIL probe must be rejected. */
const FAIL_NOT_STATIC = ["Object.keys order", "sort stability"];

interface Probe { code: string; espruino: "PASS" | "FAIL" | "ERROR"; observed: string }

describe("dialect gate vs the interpreter's probes", () => {
  const file = JSON.parse(fs.readFileSync(PROBES, "utf8")) as { harness: string; probes: { [name: string]: Probe } };
  const verdicts = Object.keys(file.probes).map((name) => {
    const p = file.probes[name]!;
    // gated as the probe ran: harness (defines ok()) first
    const r = gate(file.harness + p.code);
    return { name, expected: p.espruino, rejected: r.errors.length > 0, errors: r.errors };
  });

  it("has probes of every verdict", () => {
    for (const v of ["PASS", "FAIL", "ERROR"]) assert.ok(verdicts.some((x) => x.expected === v), v);
  });

  it("rejects every probe the interpreter rejects (ERROR)", () => {
    const missed = verdicts.filter((v) => v.expected === "ERROR" && !v.rejected).map((v) => v.name);
    assert.deepEqual(missed, []);
  });

  it("accepts every probe the interpreter runs like Node (PASS)", () => {
    const wrong = verdicts.filter((v) => v.expected === "PASS" && v.rejected).map((v) => v.name + ": " + v.errors.join("; "));
    assert.deepEqual(wrong, []);
  });

  it("rejects the statically visible FAIL probes and lets exactly the documented rest through", () => {
    const through = verdicts.filter((v) => v.expected === "FAIL" && !v.rejected).map((v) => v.name).sort();
    assert.deepEqual(through, FAIL_NOT_STATIC.slice().sort());
    const rules = fs.readFileSync(path.join(ROOT, "docs", "coding-rules.md"), "utf8");
    for (const name of FAIL_NOT_STATIC) assert.ok(rules.includes(name), "docs/coding-rules.md lists '" + name + "'");
  });
});

describe("dialect gate rules", () => {
  const rejects = (code: string, what: RegExp): void => {
    const r = gate(code);
    assert.ok(r.errors.some((e) => what.test(e)), "expected " + what + " for: " + code + "\ngot: " + r.errors.join("\n"));
  };
  const accepts = (code: string): void => {
    const r = gate(code);
    assert.deepEqual(r.errors, [], code);
  };

  it("points at the bundle position when there is no map", () => {
    const r = gate("var a = 1;\nvar m = new Map();");
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0]!, /^bundle 2:13, offset 23: Map does not exist/);
  });

  it("rejects a parse error with its position", () => {
    rejects("var = 1;", /bundle 1:5.*does not parse/);
  });

  it("missing globals only when they are globals", () => {
    rejects("new Set()", /Set does not exist/);
    accepts("function f(Set){ return new Set(); } f(Array);");
    accepts("if (typeof Symbol === 'function') {}");
  });

  it("Node APIs and require", () => {
    rejects("Buffer.from('a')", /Buffer is Node-only/);
    rejects("process.exit(1)", /process.exit does not exist/);
    rejects("require('path')", /only Espruino built-in modules/);
    rejects("var n='Flash'; require(n)", /non-literal/);
    accepts("var f = require('Flash'); var m = process.memory(); var v = process.version;");
  });

  it("built-in prototype reads but not polyfill writes", () => {
    rejects("var s = String.prototype.trim;", /String.prototype.trim is undefined/);
    rejects("Object.prototype.hasOwnProperty.call({}, 'a')", /Object.prototype.hasOwnProperty/);
    accepts("Array.prototype.last = function(){ return this[this.length-1]; };");
    accepts("function A(){} A.prototype.m = function(){}; var x = A.prototype.m;");
  });

  it("array-only methods where the receiver is visibly an array", () => {
    rejects("[1,2].lastIndexOf(2)", /lastIndexOf\(\) does not exist/);
    rejects("var u = new Uint8Array(4); u.keys();", /keys\(\) does not exist/);
    accepts("'abcb'.lastIndexOf('b'); Object.keys({}); var o = {}; o.values = 1;");
  });

  it("timers: undefined ids and clear-all", () => {
    rejects("clearTimeout(undefined)", /throws on Espruino/);
    rejects("clearWatch(void 0)", /throws on Espruino/);
    rejects("clearInterval()", /clears EVERY timer/);
    accepts("var t = setTimeout(function(){}, 1); clearTimeout(t); clearWatch();");
  });

  it("JSON replacer, indent and reviver", () => {
    rejects("JSON.stringify({}, null, 2)", /ignores the replacer and indent/);
    rejects("JSON.parse('1', function(k, v){ return v; })", /ignores the reviver/);
    accepts("JSON.stringify({a:1}); JSON.stringify({a:1}, null); JSON.parse('{}');");
  });

  it("regex subset in literals and new RegExp", () => {
    assert.deepEqual(regexProblems("^\\d+[a-z]*$", "gi"), []);
    assert.deepEqual(regexProblems("[?{}]\\.x+", ""), []);
    assert.ok(regexProblems("a{2,3}", "").some((p) => /\{n,m\}/.test(p)));
    assert.ok(regexProblems("(ab)+", "").some((p) => /groups/.test(p)));
    assert.ok(regexProblems("a+?", "").some((p) => /lazy/.test(p)));
    assert.ok(regexProblems("(a)\\1", "").some((p) => /backreferences/.test(p)));
    assert.ok(regexProblems("\\bx", "m").length === 2);
    rejects("new RegExp('(?:a)')", /non-capturing/);
    rejects("/(?=a)/.test('a')", /lookahead/);
  });

  it("use before definition follows what runs at load time", () => {
    rejects("function a(){ return later; } a(); var later = 1;", /'later' is used before its var declaration/);
    rejects("(function(){ g(); function g(){} })();", /'g' is used before its function declaration/);
    rejects("function f(){ if (f) { var x = 1; } return x; } f();", /'x' is used before/);
    accepts("function a(){ return later; } var later = 1; a();");
    accepts("function f(c){ if (c) { var x = 1; } else { var x = 2; } return x; } f(1);");
    accepts("function f(){ try { var x = JSON.parse('1'); } catch (e) { return 0; } return x; } f();");
    accepts("setTimeout(function(){ later(); }, 1); function later(){}");
    rejects("[1].forEach(function(v){ console.log(v + later); }); var later = 1;", /'later' is used before/);
    accepts("function f(){ for (;;) { var x = Math.random(); if (x > 0.5) break; } return x; } f();");
    rejects("function f(n){ for (var i = 0; i < n; i++) { var x = i; } return x; } f(0);", /'x' is used before/);
  });

  it("loop closures over let/const loop variables, not over a copy in the body", () => {
    rejects("for (let i=0;i<3;i++) setTimeout(function(){ console.log(i); }, 1);", /captures the loop variable 'i'/);
    accepts("for (var i=0;i<3;i++) { let j=i; setTimeout(function(){ console.log(j); }, 1); }");
    accepts("for (let i=0;i<3;i++) console.log(i);");
  });

  it("warns (does not fail) on Error subclasses", () => {
    const r = gate("class E2 extends Error {} var e = new E2(); e instanceof E2;");
    assert.deepEqual(r.errors, []);
    assert.ok(r.warnings.some((w) => /instanceof is false/.test(w)));
    rejects("class E3 extends Error { constructor(){ super('x'); } }", /syntax error on Espruino/);
  });

  it("enforces the size budget", () => {
    const r = gate("var a = 1;", { budget: 5 });
    assert.ok(r.errors.some((e) => /over the board's budget of 5 bytes/.test(e)));
    assert.deepEqual(gate("var a = 1;", { budget: 10 }).errors, []);
  });
});

describe("dialect gate on TypeScript built through the pipeline", function () {
  this.timeout(60000);
  const fixtures = ["gate-bad.ts", "gate-spread.ts", "lowered-ok.ts", "cycle-a.ts", "error-subclass.ts"].map((f) => path.join(FIXTURES, f));
  let compiled: ReturnType<typeof compile>;
  before(() => { compiled = compile({ roots: fixtures }); });
  const build = (name: string) =>
    bundle({ entry: path.join(FIXTURES, name), modules: compiled.modules, board: loadBoard("pos-esp32-v1"), fileName: "t.js" });

  it("compiles the fixtures", () => assert.deepEqual(compiled.errors, []));

  it("maps every finding back to the TypeScript line, with original names", async () => {
    const out = await build("gate-bad.ts");
    const r = gate(out.code, { map: out.map });
    const at = (line: number, what: RegExp): void => {
      assert.ok(r.errors.some((e) => e.startsWith("test/toolchain/fixtures/gate-bad.ts:" + line + ":") && what.test(e)),
        "line " + line + " " + what + "\n" + r.errors.join("\n"));
    };
    at(3, /Object.freeze/);
    at(4, /JSON.stringify/);
    at(5, /\? quantifier/);
    at(8, /'config' is used before its var declaration/);
    at(14, /Array.prototype.slice/);
    at(16, /assigning .length/);
    at(17, /clearTimeout\(\)/);
    at(18, /require\("path"\)/);
    assert.ok(r.errors.every((e) => /\(bundle 1:\d+, offset \d+\)/.test(e)), "bundle position too");
  });

  it("refuses tslib helpers we do not provide, naming the helper and the line", async () => {
    await assert.rejects(build("gate-spread.ts"), (e: unknown) => {
      assert.ok(e instanceof BuildError);
      assert.equal(e.problems.length, 1);
      assert.match(e.problems[0]!, /^test\/toolchain\/fixtures\/gate-spread\.ts:3:\d+: needs tslib helper __spreadArray.*array spread/);
      return true;
    });
  });

  it("catches a circular import that reads a module's var before that module ran", async () => {
    const out = await build("cycle-a.ts");
    assert.ok(out.warnings.some((w) => /Circular dependency/.test(w)));
    const r = gate(out.code, { map: out.map });
    assert.equal(r.errors.length, 1, r.errors.join("\n"));
    assert.match(r.errors[0]!, /^test\/toolchain\/fixtures\/cycle-b\.ts:3:\d+ .*'PREFIX' is used before its var declaration/);
  });

  it("warns at the instanceof of a lowered Error subclass, without failing", async () => {
    const out = await build("error-subclass.ts");
    const r = gate(out.code, { map: out.map });
    assert.deepEqual(r.errors, []);
    assert.ok(r.warnings.some((w) => /^test\/toolchain\/fixtures\/error-subclass\.ts:7:\d+ .*instanceof on an Error subclass/.test(w)), r.warnings.join("\n"));
  });

  it("uses TypeScript's types for methods missing on arrays but present on strings", () => {
    const r = compile({ roots: [path.join(FIXTURES, "typed-array-methods.ts")] });
    assert.deepEqual(r.errors, [
      "test/toolchain/fixtures/typed-array-methods.ts:6:15: Array .lastIndexOf() does not exist on Espruino: loop backwards",
      "test/toolchain/fixtures/typed-array-methods.ts:6:33: Array .lastIndexOf() does not exist on Espruino: loop backwards",
    ]);
  });

  it("lowers classes, static inheritance, let closures and object rest/spread safely", async () => {
    const out = await build("lowered-ok.ts");
    const r = gate(out.code, { map: out.map });
    assert.deepEqual(r.errors, []);
    const expected = ['CB2|made|0,1,2|{"a":1,"b":2,"c":3}|1:{"b":2,"c":3}|true'];
    const lines: string[] = [];
    vm.runInNewContext(out.code, { console: { log: (s: string) => lines.push(s) } });
    assert.deepEqual(lines, expected);
    // and in the simulator's Espruino context (no Map/Set, Espruino's built-ins only)
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tc-lowered-")), "lowered-ok.js");
    fs.writeFileSync(file, out.code);
    const { createWorld } = require("../../sim/harness") as typeof import("../../sim/harness");
    const w = createWorld({ board: "pos-esp32-v1", bundle: file });
    w.run(1);
    assert.equal(w.loadError, null);
    assert.deepEqual(w.console.filter((l: string) => l.startsWith("CB")), expected);
  });
});
