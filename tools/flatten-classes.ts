// Flattens TypeScript's ES5 class wrappers in the rollup output (a rollup renderChunk step):
//   var C = /** @class */ (function (_super) { __extends(C, _super); function C() {..}
//     C.prototype.m = function () {..}; return C; }(Base));
// becomes
//   function C() {..} __extends(C, Base); C.prototype.m = function () {..};
// Why: on Espruino a function created inside another function's scope stores its scope chain
// as an array (measured on the ESP32 twin: 6 JsVars for a method defined in the bundle's scope,
// 9 inside a class wrapper). Every class method costs 3 JsVars less for the terminal's
// whole life. Only wrappers of exactly that shape at the bundle's top level are touched.
// The same step drops prototype methods the bundle never reads (see flattenClasses).
import * as acorn from "acorn";
import MagicString from "magic-string";

interface Node { type: string; start: number; end: number; [k: string]: any }

/** names a subtree declares (vars, functions, params): a base class name must not be shadowed */
function declaredNames(node: Node, out: Set<string>): void {
  if (!node || typeof node.type !== "string") return;
  if (node.type === "VariableDeclarator" && node.id.type === "Identifier") out.add(node.id.name);
  if (node.type === "FunctionDeclaration" || node.type === "FunctionExpression") {
    if (node.id) out.add(node.id.name);
    for (const p of node.params) if (p.type === "Identifier") out.add(p.name);
  }
  if (node.type === "CatchClause" && node.param && node.param.type === "Identifier") out.add(node.param.name);
  for (const key of Object.keys(node)) {
    const v = node[key];
    if (Array.isArray(v)) for (const c of v) declaredNames(c, out);
    else if (v && typeof v === "object" && typeof v.type === "string") declaredNames(v, out);
  }
}

function identifiers(node: Node, name: string, out: Node[]): void {
  if (!node || typeof node.type !== "string") return;
  if (node.type === "Identifier" && node.name === name) out.push(node);
  for (const key of Object.keys(node)) {
    if (key === "key" && node.type === "Property" && !node.computed) continue;
    if (key === "property" && node.type === "MemberExpression" && !node.computed) continue;
    const v = node[key];
    if (Array.isArray(v)) for (const c of v) identifiers(c, name, out);
    else if (v && typeof v === "object" && typeof v.type === "string") identifiers(v, name, out);
  }
}

/** the class wrapper in `var C = (function (_super) {...}(Base))`, or null */
function classWrapper(stmt: Node): { name: string; fn: Node; base: Node | null; ret: Node } | null {
  if (stmt.type !== "VariableDeclaration" || stmt.declarations.length !== 1) return null;
  const d = stmt.declarations[0];
  const call = d.init;
  if (d.id.type !== "Identifier" || !call || call.type !== "CallExpression" || call.callee.type !== "FunctionExpression") return null;
  const fn = call.callee, name = d.id.name, body: Node[] = fn.body.body;
  if (fn.params.length !== call.arguments.length || fn.params.length > 1) return null;
  const base = call.arguments.length ? call.arguments[0] : null;
  if (base && base.type !== "Identifier") return null;
  if (base && /Error$/.test(base.name)) return null; // left whole: the gate warns about Error subclasses by this shape
  const ret = body[body.length - 1];
  if (!ret || ret.type !== "ReturnStatement" || !ret.argument || ret.argument.type !== "Identifier" || ret.argument.name !== name) return null;
  let ctor = 0;
  for (const s of body.slice(0, -1)) {
    if (s.type === "FunctionDeclaration") { if (s.id.name !== name) return null; ctor++; continue; }
    if (s.type !== "ExpressionStatement") return null; // a local var would leak into the bundle's scope
  }
  if (ctor !== 1) return null;
  if (base) {
    const inner = new Set<string>();
    declaredNames(fn.body, inner);
    if (inner.has(base.name) || inner.has(fn.params[0].name)) return null;
  }
  return { name, fn, base, ret };
}

export interface FlattenResult { code: string; map: any; flattened: number; pruned: string[] }

/** every name the code reads as a property (a.name, {name: ...}, "name") besides the prototype
 *  method definitions themselves */
function namesUsed(ast: Node, defs: Set<Node>): Set<string> {
  const out = new Set<string>();
  const visit = (n: Node): void => {
    if (!n || typeof n.type !== "string") return;
    if (n.type === "MemberExpression" && !n.computed && !defs.has(n.property)) out.add(n.property.name);
    if (n.type === "Property" && n.key.type === "Identifier") out.add(n.key.name);
    if (n.type === "Literal" && typeof n.value === "string") out.add(n.value);
    for (const key of Object.keys(n)) {
      const v = n[key];
      if (Array.isArray(v)) for (const c of v) visit(c);
      else if (v && typeof v === "object" && typeof v.type === "string") visit(v);
    }
  };
  visit(ast);
  return out;
}

/** `C.prototype.m = function ...;` at the top level: the statement and the name m */
function methodDefinition(stmt: Node): { name: string; prop: Node } | null {
  const e = stmt.type === "ExpressionStatement" ? stmt.expression : null;
  if (!e || e.type !== "AssignmentExpression" || e.operator !== "=" || e.right.type !== "FunctionExpression") return null;
  const l = e.left;
  if (l.type !== "MemberExpression" || l.computed || l.object.type !== "MemberExpression" || l.object.computed ||
      l.object.property.name !== "prototype") return null;
  return { name: l.property.name, prop: l.property };
}

/** rewrites the class wrappers of an iife bundle's top level; returns the code and its map */
export function flattenClasses(code: string, fileName: string): FlattenResult {
  const ast = acorn.parse(code, { ecmaVersion: 5 }) as unknown as Node;
  // rollup's iife: `(function () { 'use strict'?; ... })();` possibly behind `var x = `
  // (or a plain script: the program's own statements)
  let scope: Node[] = ast.body;
  for (const s of ast.body as Node[]) {
    const e = s.type === "ExpressionStatement" ? s.expression : null;
    if (e && e.type === "CallExpression" && e.callee.type === "FunctionExpression") { scope = e.callee.body.body; break; }
  }
  const ms = new MagicString(code);
  let flattened = 0;
  for (const stmt of scope) {
    const w = classWrapper(stmt);
    if (!w) continue;
    const body: Node[] = w.fn.body.body;
    // drop `var C = ... (function (_super) {` and `return C; }(Base));`, keep the statements
    ms.remove(stmt.start, body[0]!.start);
    ms.remove(w.ret.start, stmt.end);
    if (w.base) {
      const uses: Node[] = [];
      for (const s of body) identifiers(s, w.fn.params[0].name, uses);
      for (const u of uses) ms.overwrite(u.start, u.end, w.base.name);
    }
    flattened++;
  }
  // Methods nothing reads are dropped (every one costs about 6 JsVars for the terminal's life):
  // a class shared with probes and tests may carry methods this bundle never calls. A name
  // counts as read anywhere as a property, an object key or a string.
  const defs = new Set<Node>(), methods: { stmt: Node; name: string }[] = [];
  const collect = (stmts: Node[]): void => {
    for (const st of stmts) {
      const w = classWrapper(st);
      if (w) { collect(w.fn.body.body); continue; }
      const m = methodDefinition(st);
      if (m) { defs.add(m.prop); methods.push({ stmt: st, name: m.name }); }
    }
  };
  collect(scope);
  const used = namesUsed(ast, defs), pruned: string[] = [];
  for (const m of methods) if (!used.has(m.name)) { ms.remove(m.stmt.start, m.stmt.end); pruned.push(m.name); }
  return { code: ms.toString(), map: ms.generateMap({ hires: true, source: fileName, includeContent: false }), flattened, pruned };
}
