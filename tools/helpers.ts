// Which tslib helpers our Espruino-safe tslib provides, and why the others are refused.
// Checked per module before bundling so the message points at the TypeScript line that
// made the compiler ask for the helper.
import * as fs from "fs";
import * as acorn from "acorn";
import * as walk from "acorn-walk";
import { TraceMap, originalPositionFor } from "@jridgewell/trace-mapping";
import { EmittedModule } from "./compile";
import { TSLIB_ESPRUINO, rel } from "./paths";

const WHY: { [helper: string]: string } = {
  __spreadArray: "array spread ([...a], f(...a)) is banned: Espruino has no spread and tslib's helper misbehaves there; copy with a loop or Uint8Array.set",
  __spread: "array spread is banned (see __spreadArray)",
  __spreadArrays: "array spread is banned (see __spreadArray)",
  __read: "destructuring of iterables needs Symbol.iterator, which Espruino lacks; index the array",
  __values: "for...of over iterables needs Symbol.iterator, which Espruino lacks; use an index loop",
  __awaiter: "async/await is banned: firmware uses callbacks (err, result)",
  __generator: "generators and async/await are banned: firmware uses callbacks",
  __asyncGenerator: "async generators are banned",
  __asyncValues: "for await is banned",
  __await: "async/await is banned",
  __makeTemplateObject: "tagged templates are banned (String.raw and tags do not exist on Espruino)",
  __decorate: "decorators are not supported by the firmware build",
  __esDecorate: "decorators are not supported by the firmware build",
  __classPrivateFieldGet: "#private fields are banned: use a plain field (Espruino has no WeakMap)",
  __classPrivateFieldSet: "#private fields are banned: use a plain field (Espruino has no WeakMap)",
  __classPrivateFieldIn: "#private fields are banned",
};

let provided: Set<string> | undefined;
export function providedHelpers(): Set<string> {
  if (!provided) {
    const text = fs.readFileSync(TSLIB_ESPRUINO, "utf8");
    provided = new Set<string>();
    const re = /export function (\w+)/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) provided.add(m[1]!);
  }
  return provided;
}

/** Errors for helpers a module imports from tslib that we do not provide. */
export function checkHelpers(file: string, mod: EmittedModule): string[] {
  if (mod.code.indexOf("tslib") < 0) return [];
  const ast = acorn.parse(mod.code, { ecmaVersion: "latest", sourceType: "module", locations: true });
  const wanted = new Set<string>();
  for (const node of (ast as any).body) {
    if (node.type === "ImportDeclaration" && node.source.value === "tslib") {
      for (const s of node.specifiers) if (!providedHelpers().has(s.local.name)) wanted.add(s.local.name);
    }
  }
  if (!wanted.size) return [];
  const trace = new TraceMap(mod.map as any);
  const errors: string[] = [];
  const seen = new Set<string>();
  const body = (ast as any).body.filter((n: any) => n.type !== "ImportDeclaration");
  for (const stmt of body) walk.simple(stmt, {
    Identifier(node: any) {
      if (!wanted.has(node.name)) return;
      const pos = originalPositionFor(trace, { line: node.loc.start.line, column: node.loc.start.column });
      const where = pos.line ? rel(file) + ":" + pos.line + ":" + ((pos.column || 0) + 1) : rel(file);
      const msg = where + ": needs tslib helper " + node.name + ", which the Espruino build does not provide: " +
        (WHY[node.name] || "not implemented in tools/tslib-espruino.js");
      if (!seen.has(msg)) { seen.add(msg); errors.push(msg); }
    },
  });
  return errors;
}
