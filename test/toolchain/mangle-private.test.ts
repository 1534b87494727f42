// The build's private-member renaming (tools/mangle-private.ts): long private names become
// short "$n" names everywhere they are used, behaviour is unchanged, public and short names
// keep theirs, and a use the transform cannot follow fails the build instead of breaking code.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import ts from "typescript";
import * as vm from "vm";
import { privateMangler } from "../../tools/mangle-private";

function emit(source: string): { js: string; errors: string[]; names: Map<string, string> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mangle-"));
  const file = path.join(dir, "device.ts");
  fs.writeFileSync(file, source);
  const program = ts.createProgram({ rootNames: [file], options: { target: ts.ScriptTarget.ES5, module: ts.ModuleKind.None, lib: ["lib.es5.d.ts"] } });
  const m = privateMangler(program, (f) => path.resolve(f) === file);
  let js = "";
  program.emit(undefined, (name, text) => { if (name.endsWith(".js")) js = text; }, undefined, false, { before: [m.transformer] });
  fs.rmSync(dir, { recursive: true, force: true });
  return { js, errors: m.errors, names: m.names };
}

const COUNTER = `
class Base { private counted = 0; private tick(): number { return ++this.counted; } bump(): number { return this.tick(); } }
class Counter extends Base {
  private total: number; private history: number[] = []; private last?: number; public visible = 7;
  constructor(start: number) { super(); this.total = start; }
  private get doubled(): number { return this.total * 2; }
  add(n: number): Counter { var self = this; self.total += n; this.history.push(n); this["last"] = n; return this; }
  report(): number[] { return [this.total, this.doubled, this.history.length, this.last!, this.bump(), this.bump(), this.visible]; }
  static same(a: Counter, b: Counter): boolean { return a.total === b.total; }
}
var c = new Counter(5).add(3).add(4);
var out = c.report().concat([Counter.same(c, new Counter(12)) ? 1 : 0]);
`;

describe("build: private members get short names", () => {
  it("renames long private names (fields, methods, accessors, element access, other instances) and keeps behaviour", () => {
    const { js, errors, names } = emit(COUNTER);
    assert.deepEqual(errors, []);
    const g: any = {};
    vm.runInNewContext(js + "\nglobalThis.out = out;", { globalThis: g });
    assert.deepEqual(Array.from(g.out), [12, 24, 2, 4, 1, 2, 7, 1]);
    for (const long of ["counted", "total", "history", "doubled"]) assert.doesNotMatch(js, new RegExp("\\b" + long + "\\b"), long + " must be renamed");
    assert.match(js, /\.tick\b/, "names of 4 characters or fewer already fit one JsVar and are kept");
    assert.match(js, /\.last\b/);
    assert.match(js, /\.visible\b/, "public members keep their names");
    assert.match(js, /\.bump\b/);
    const short = [...names.values()];
    assert.equal(new Set(short).size, short.length, "one name per member, across classes");
    for (const n of short) assert.match(n, /^\$[0-9a-z]{1,3}$/);
    assert.equal(names.get("Base.counted"), "$0");
  });

  it("a use it cannot rename (destructuring, `in`) is a build error naming the line", () => {
    const { errors } = emit(`class A { private secret = 1; leak(): number { const { secret } = this; return secret + ("secret" in this ? 1 : 0); } }`);
    assert.equal(errors.length, 2, errors.join("\n"));
    assert.match(errors[0]!, /device\.ts:1: private member 'secret' is destructured/);
    assert.match(errors[1]!, /device\.ts:1: private member 'secret' is tested with `in`/);
  });
});
