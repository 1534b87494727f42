// The interpreter probes (../shared/espruino-probes.json: snippets with the real Espruino
// interpreter's verdict) run in the simulator. Every probe the interpreter passes must pass
// here; every FAIL/ERROR must be reproduced, except what a V8 context cannot show, which the
// dialect gate rejects instead (ES6 syntax, labels, hoisting, prototype method references)
// or docs/simulator.md lists (integer key order).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as acorn from "acorn";
import { createWorld } from "../../sim/harness";

const PROBES = path.resolve(__dirname, "..", "..", "..", "shared", "espruino-probes.json");
/** ES5-parsable probes whose verdict the simulator cannot reproduce */
const NOT_REPRODUCIBLE = new Set([
  "Object.keys order", // V8 orders integer keys first
  "labelled break", "labelled block break", // gate: labels
  "function hoisting (call before declaration)", "var read before declaration", // gate: use before definition
  "var declared in untaken branch", "assignment before var creates global",
  "Array.prototype.slice referenced via prototype", "Array.prototype.concat.apply", // gate: prototype reads
]);

function verdict(harness: string, code: string): string {
  const w = createWorld({ board: "pos-esp32-v1", source: harness + code, bundle: "/probe/probe.js" });
  w.run(3);
  const line = w.console.find((l) => l.startsWith("RESULT:"));
  if (w.loadError || !line) return "ERROR";
  return line.startsWith("RESULT:PASS") ? "PASS" : line.startsWith("RESULT:FAIL") ? "FAIL" : "ERROR";
}

function es5(code: string): boolean {
  try { acorn.parse(code, { ecmaVersion: 5 }); return true; } catch { return false; }
}

describe("sim runtime: interpreter probes", function () {
  before(function () { if (!fs.existsSync(PROBES)) this.skip(); });

  it("reproduces the interpreter's verdict on every probe a V8 context can show", () => {
    const d = JSON.parse(fs.readFileSync(PROBES, "utf8"));
    const wrong: string[] = [];
    let checked = 0;
    for (const [name, p] of Object.entries<any>(d.probes)) {
      if (p.espruino !== "PASS" && (!es5(p.code) || NOT_REPRODUCIBLE.has(name))) continue;
      checked++;
      const got = verdict(d.harness, p.code);
      if (got !== p.espruino) wrong.push(`${name}: interpreter ${p.espruino}, simulator ${got}`);
    }
    assert.ok(checked > 100, "probes checked: " + checked);
    assert.deepEqual(wrong, []);
  });
});
