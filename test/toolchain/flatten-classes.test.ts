// The class-wrapper flattening step of the build: same behaviour, wrappers gone, and shapes it
// must not touch left alone.
import * as assert from "assert";
import * as ts from "typescript";
import * as vm from "vm";
import { flattenClasses } from "../../tools/flatten-classes";
import { providedHelpers } from "../../tools/helpers";
import { clashingGlobals } from "../../tools/bundle";

const TS = `
class Base { n: number; constructor(n: number) { this.n = n; } twice(): number { return this.n * 2; } static make(): Base { return new Base(1); } }
class Sub extends Base { constructor(n: number) { super(n + 1); } twice(): number { return super.twice() + 100; } get half(): number { return this.n / 2; } }
class Oops extends Error { code = "X"; }
var out = [new Sub(3).twice(), new Sub(5).half, Sub.make().n, new Base(4).twice(), new Sub(1) instanceof Base ? 1 : 0];
`;

function iife(): string {
  // the ES5 emit wrapped the way rollup does, with an __extends that also copies statics
  const js = ts.transpileModule(TS, { compilerOptions: { target: ts.ScriptTarget.ES5, noEmitHelpers: true } }).outputText;
  const ext = "function __extends(d, b) { for (var p in b) if (b.hasOwnProperty(p)) d[p] = b[p]; function __() { this.constructor = d; } __.prototype = b.prototype; d.prototype = new __(); }";
  return "(function () {\n" + ext + "\n" + js + "\nglobalThis.result = out;\n})();\n";
}

describe("build: flattening class wrappers", () => {
  it("flattens plain and derived classes and keeps their behaviour", () => {
    const code = iife();
    const out = flattenClasses(code, "bundle.js");
    assert.equal(out.flattened, 2, "Base and Sub; Oops (extends Error) stays wrapped for the gate");
    assert.ok(!/\/\*\* @class \*\/ \(function \(_super\) \{\s*__extends\(Sub/.test(out.code));
    assert.match(out.code, /__extends\(Sub, Base\)/);
    const run = (c: string) => { const g: any = {}; vm.runInNewContext(c, { globalThis: g }); return g.result; };
    assert.deepEqual(run(out.code), run(code));
    assert.deepEqual(run(out.code), [108, 3, 1, 8, 1]);
    assert.ok(out.map && out.map.mappings.length > 0, "a source map comes with it");
  });

  it("leaves a wrapper alone when a local would leak or the base is shadowed", () => {
    const code = "(function () {\nvar A = (function () { var shared = 1; function A() {} A.prototype.f = function () { return shared; }; return A; }());\n" +
      "var B = (function (_super) { __extends(B, _super); function B() {} B.prototype.g = function (A) { return A; }; return B; }(A));\n})();\n";
    assert.equal(flattenClasses(code, "x.js").flattened, 0);
  });

  it("drops prototype methods nothing in the bundle reads, keeps those read as a property, key or string", () => {
    const code = "(function () {\nfunction A() {}\nA.prototype.used = function () { return 1; };\nA.prototype.unused = function () { return 2; };\n" +
      "A.prototype.keyed = function () { return 3; };\nA.prototype.named = function () { return 4; };\n" +
      "var a = new A(); a.used(); var o = { keyed: 1 }; a[\"named\"]();\n})();\n";
    const out = flattenClasses(code, "x.js");
    assert.deepEqual(out.pruned, ["unused"]);
    assert.ok(!/unused/.test(out.code) && /A\.prototype\.used/.test(out.code) && /keyed = function/.test(out.code) && /named = function/.test(out.code));
  });

  it("refuses top-level names that would overwrite Espruino's globals (the bundle has no iife)", () => {
    assert.deepEqual(clashingGlobals("var E = 1, ok = 2; function D3() {} function xy() {}"), ["E", "D3"]);
    assert.deepEqual(clashingGlobals("function f() { var E = 1; }"), [], "locals shadow nothing global");
  });

  it("our tslib still provides __extends", () => { assert.ok(providedHelpers().has("__extends")); });
});
