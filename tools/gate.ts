// The dialect gate: parses a bundle (or any script) and rejects what the Espruino
// interpreter does not run, with positions mapped back to the TypeScript source.
// Rules: docs/coding-rules.md. What it cannot see is listed there too.
import * as acorn from "acorn";
import * as fs from "fs";
import { TraceMap, originalPositionFor } from "@jridgewell/trace-mapping";
import { RawMap } from "./compile";
import {
  BUILTIN_CTORS, ERROR_CLASSES, ESPRUINO_MODULES, MISSING_ARRAY_METHODS, MISSING_GLOBALS, MISSING_METHODS,
  MISSING_STATICS, PROCESS_MEMBERS, TYPED_ARRAYS,
} from "./dialect";
import { regexProblems } from "./regex";
import { Node, ScopeInfo, analyse, children, isFunction } from "./scope";
import { useBeforeDefinition } from "./flow";

export interface GateResult {
  errors: string[];
  warnings: string[];
  bytes: number;
  lines: number;
  functions: number;
}

export interface GateOptions {
  map?: RawMap;
  /** size budget in bytes; omitted: no size check */
  budget?: number;
}

interface Finding { pos: number; line: number; column: number; message: string; warning?: boolean; ident?: string }

const str = (n: Node): string | undefined => (n && n.type === "Literal" && typeof n.value === "string" ? n.value : undefined);
const isUndefinedLiteral = (n: Node): boolean =>
  (n.type === "Identifier" && n.name === "undefined") || (n.type === "UnaryExpression" && n.operator === "void");
const propName = (m: Node): string | undefined =>
  m.type !== "MemberExpression" ? undefined : !m.computed && m.property.type === "Identifier" ? m.property.name : str(m.property);

class Checker {
  findings: Finding[] = [];
  functions = 0;
  constructor(private info: ScopeInfo) {}

  add(node: Node, message: string, warning = false): void {
    const ident = node.type === "Identifier" ? node.name : undefined;
    this.findings.push({ pos: node.start, line: node.loc.start.line, column: node.loc.start.column, message, warning, ident });
  }

  /** true when the identifier names the real global (not shadowed by a local) */
  isGlobal(node: Node, name?: string): boolean {
    if (!node || node.type !== "Identifier" || (name && node.name !== name)) return false;
    const ref = this.info.refOf.get(node);
    return !!ref && !ref.binding;
  }

  /** receiver is visibly an array or typed array */
  isArrayish(node: Node): boolean {
    if (node.type === "ArrayExpression") return true;
    if ((node.type === "NewExpression" || node.type === "CallExpression") && node.callee.type === "Identifier" &&
        (node.callee.name === "Array" || TYPED_ARRAYS.has(node.callee.name)) && this.isGlobal(node.callee)) return true;
    if (node.type === "Identifier") {
      const b = this.info.refOf.get(node)?.binding;
      return !!b && !!b.value && b.decls.length === 1 && b.value !== node && !isFunction(b.value) && this.isArrayish(b.value);
    }
    return false;
  }

  visit(node: Node, parent: Node | null): void {
    this.check(node, parent);
    for (const c of children(node)) this.visit(c, node);
  }

  check(node: Node, parent: Node | null): void {
    switch (node.type) {
      case "RestElement": this.add(node, "rest parameter/element (...x) is a syntax error on Espruino: use arguments or pass an array"); break;
      case "SpreadElement": this.add(node, "spread (...x) is a syntax error on Espruino: copy with a loop, Uint8Array.set or Object.assign"); break;
      case "ObjectPattern": case "ArrayPattern":
        if (!parent || (parent.type !== "ObjectPattern" && parent.type !== "ArrayPattern" && parent.type !== "Property" &&
            parent.type !== "AssignmentPattern" && parent.type !== "RestElement")) {
          this.add(node, "destructuring is misparsed by Espruino (ReferenceError at run time): read the fields one by one");
        }
        break;
      case "AssignmentPattern": this.add(node, "default values (parameters or destructuring) are a syntax error on Espruino: test for undefined in the body"); break;
      case "ChainExpression": this.add(node, "optional chaining (?.) is a syntax error on Espruino: test with && or an if"); break;
      case "AssignmentExpression":
        if (node.operator === "??=" || node.operator === "||=" || node.operator === "&&=") {
          this.add(node, "logical assignment (" + node.operator + ") is a syntax error on Espruino: write a = a || b");
        } else if (node.operator === "**=") this.add(node, "**= is a syntax error on Espruino (and Math.pow is inexact): multiply");
        this.checkLengthWrite(node.left);
        break;
      case "UpdateExpression": this.checkLengthWrite(node.argument); break;
      case "BinaryExpression":
        if (node.operator === "**") this.add(node, "** is a syntax error on Espruino (and Math.pow is inexact for exponents >= 10): multiply or use a literal");
        break;
      case "Property":
        if (node.computed) this.add(node, "computed keys ({[k]: v}) are a syntax error on Espruino: assign o[k] = v after creating the object");
        this.checkObjectMethodSuper(node);
        break;
      case "MethodDefinition": case "PropertyDefinition":
        if (node.computed) this.add(node, "computed class members are a syntax error on Espruino");
        break;
      case "StaticBlock": this.add(node, "class static blocks are not supported by Espruino (assumed): assign statics after the class"); break;
      case "TaggedTemplateExpression":
        this.add(node, "tagged templates are a syntax error on Espruino" + (this.isStringRaw(node.tag) ? " (String.raw does not exist)" : ""));
        break;
      case "FunctionDeclaration": case "FunctionExpression": case "ArrowFunctionExpression":
        this.functions++;
        if (node.generator) this.add(node, "generators (function*) are a syntax error on Espruino");
        if (node.async) this.add(node, "async functions are not supported by Espruino: use callbacks (err, result)");
        break;
      case "AwaitExpression": this.add(node, "await is not supported by Espruino"); break;
      case "YieldExpression": break; // reported on the generator
      case "ForOfStatement":
        if (node.await) this.add(node, "for await is not supported by Espruino");
        this.checkLoopClosures(node, node.left);
        break;
      case "ForInStatement": this.checkLoopClosures(node, node.left); break;
      case "ForStatement": if (node.init && node.init.type === "VariableDeclaration") this.checkLoopClosures(node, node.init); break;
      case "LabeledStatement": this.add(node, "labels (" + node.label.name + ":) fail on Espruino (ReferenceError): use a flag or a function with return"); break;
      case "WithStatement": this.add(node, "with is not supported"); break;
      case "MetaProperty": this.add(node, node.meta.name + "." + node.property.name + " is a syntax error on Espruino"); break;
      case "PrivateIdentifier": this.add(node, "#private fields are a syntax error on Espruino: use a plain field"); break;
      case "Literal": this.checkLiteral(node); break;
      case "TemplateElement":
        if (/\\u\{/.test(node.value.raw)) this.add(node, "\\u{...} escapes are not supported by Espruino");
        break;
      case "ExpressionStatement":
        if (node.directive === "use strict") this.add(node, "'use strict' is ignored by Espruino: code must not depend on strict semantics (e.g. this === undefined)");
        break;
      case "Identifier": this.checkIdentifier(node, parent); break;
      case "MemberExpression": this.checkMember(node, parent); break;
      case "CallExpression": case "NewExpression": this.checkCall(node); break;
      case "ClassDeclaration": case "ClassExpression": this.checkErrorSubclass(node); break;
      case "ImportExpression": case "ImportDeclaration": case "ExportNamedDeclaration": case "ExportDefaultDeclaration": case "ExportAllDeclaration":
        this.add(node, "module syntax in the bundle: everything must be bundled into one script"); break;
    }
  }

  isStringRaw(tag: Node): boolean {
    return tag.type === "MemberExpression" && this.isGlobal(tag.object, "String") && propName(tag) === "raw";
  }

  checkLengthWrite(target: Node): void {
    if (target && target.type === "MemberExpression" && propName(target) === "length") {
      this.add(target, "assigning .length throws on Espruino (arrays: use splice(0) or splice(n))");
    }
  }

  checkObjectMethodSuper(prop: Node): void {
    if (!(prop.method || prop.kind === "get" || prop.kind === "set") || !isFunction(prop.value)) return;
    const find = (n: Node): void => {
      if (n.type === "Super") { this.add(n, "super in an object-literal method is a syntax error on Espruino"); return; }
      if ((n.type === "FunctionExpression" || n.type === "FunctionDeclaration" || n.type === "ClassBody")) return;
      for (const c of children(n)) find(c);
    };
    find(prop.value.body);
  }

  checkLiteral(node: Node): void {
    if (node.bigint !== undefined) { this.add(node, "BigInt literals are a syntax error on Espruino"); return; }
    if (node.regex) {
      for (const p of regexProblems(node.regex.pattern, node.regex.flags)) this.add(node, "regex /" + node.regex.pattern + "/" + node.regex.flags + ": " + p + " on Espruino: hand-write the parser");
      return;
    }
    if (typeof node.value === "string" && /\\u\{/.test(node.raw)) this.add(node, "\\u{...} escapes are not supported by Espruino");
    if (typeof node.value === "string" && /[^\x00-\x7f]/.test(node.value)) {
      this.add(node, "non-ASCII text: the ESP32 build has no Unicode (8-bit strings; '\u20ac' becomes one byte): keep firmware text ASCII", true);
    }
  }

  checkIdentifier(node: Node, parent: Node | null): void {
    const ref = this.info.refOf.get(node);
    if (!ref || ref.binding || ref.typeofOperand) return;
    const why = MISSING_GLOBALS[node.name];
    if (why) this.add(node, why);
    if (node.name === "process" && !(parent && parent.type === "MemberExpression" && parent.object === node)) {
      this.add(node, "process is only partly there on Espruino: use process.memory(), process.env or process.version directly");
    }
  }

  checkMember(node: Node, parent: Node | null): void {
    const name = propName(node);
    if (name === undefined) return;
    const obj = node.object;
    const assigned = !!parent && parent.type === "AssignmentExpression" && parent.left === node;
    if (obj.type === "Identifier" && this.isGlobal(obj)) {
      const statics = MISSING_STATICS[obj.name];
      if (statics && Object.prototype.hasOwnProperty.call(statics, name) && !assigned) {
        const note = statics[name];
        this.add(node, obj.name + "." + name + (note && !note.startsWith("(") ? " " + note : " does not exist on Espruino" + (note ? " " + note : "")));
        return;
      }
      if (obj.name === "process" && !PROCESS_MEMBERS.has(name)) {
        this.add(node, "process." + name + " does not exist on Espruino (only memory, env, version, on)");
        return;
      }
    }
    if (obj.type === "MemberExpression" && propName(obj) === "prototype" && obj.object.type === "Identifier" &&
        BUILTIN_CTORS.has(obj.object.name) && this.isGlobal(obj.object) && !assigned) {
      const hint = obj.object.name === "Array" ? "[]." + name : obj.object.name === "String" ? "\"\"." + name : obj.object.name === "Object" ? "({})." + name : "an instance's ." + name;
      this.add(node, obj.object.name + ".prototype." + name + " is undefined on Espruino (built-in prototypes are not readable): use " + hint);
      return;
    }
    if (assigned) return;
    if (Object.prototype.hasOwnProperty.call(MISSING_METHODS, name)) {
      this.add(node, MISSING_METHODS[name]!);
      return;
    }
    if (Object.prototype.hasOwnProperty.call(MISSING_ARRAY_METHODS, name) && this.isArrayish(obj)) {
      this.add(node, MISSING_ARRAY_METHODS[name]!);
    }
  }

  checkCall(node: Node): void {
    const callee = node.callee;
    const args = node.arguments;
    const member = callee.type === "MemberExpression" ? propName(callee) : undefined;
    const on = (obj: string): boolean => callee.type === "MemberExpression" && this.isGlobal(callee.object, obj);
    if (on("JSON") && member === "stringify" && (args.length > 2 || (args.length === 2 && !(args[1].type === "Literal" && args[1].value === null) && !isUndefinedLiteral(args[1])))) {
      this.add(node, "JSON.stringify ignores the replacer and indent arguments on Espruino: transform the object first");
    }
    if (on("JSON") && member === "parse" && args.length > 1) this.add(node, "JSON.parse ignores the reviver on Espruino: transform the result");
    if (on("Object") && member === "create" && args.length > 1) this.add(node, "Object.create(proto, properties) throws on Espruino: assign the properties afterwards");
    if (member === "search" && args.length > 0 && (args[0].regex || (args[0].type === "NewExpression" && this.isGlobal(args[0].callee, "RegExp")))) {
      this.add(node, "String .search() does not exist on Espruino: use indexOf or a hand-written scan");
    }
    if (callee.type === "Identifier" && this.isGlobal(callee)) {
      const n = callee.name;
      if ((n === "clearTimeout" || n === "clearInterval" || n === "clearWatch") && args.length === 1 && isUndefinedLiteral(args[0])) {
        this.add(node, n + "(undefined) throws on Espruino: check the id first");
      }
      if ((n === "clearTimeout" || n === "clearInterval") && args.length === 0) {
        this.add(node, n + "() with no argument clears EVERY timer on Espruino (Node clears none): pass the id");
      }
      if (n === "require") {
        const mod = args.length ? str(args[0]) : undefined;
        if (mod === undefined || !ESPRUINO_MODULES.has(mod)) {
          this.add(node, "require(" + (mod === undefined ? "<non-literal>" : JSON.stringify(mod)) + "): only Espruino built-in modules (" +
            [...ESPRUINO_MODULES].join(", ") + ") can be required; bundle everything else");
        }
      }
      if (n === "RegExp" && args.length && str(args[0]) !== undefined) this.checkRegExpCall(node, str(args[0])!, args[1]);
    }
  }

  checkRegExpCall(node: Node, pattern: string, flagsNode: Node | undefined): void {
    const flags = flagsNode ? str(flagsNode) || "" : "";
    for (const p of regexProblems(pattern, flags)) this.add(node, "new RegExp(" + JSON.stringify(pattern) + "): " + p + " on Espruino: hand-write the parser");
  }

  checkLoopClosures(loop: Node, decl: Node): void {
    if (!decl || decl.type !== "VariableDeclaration" || decl.kind === "var") return;
    const bindings = new Set<any>();
    const scope = this.info.scopeOf.get(loop);
    if (scope) for (const b of scope.names.values()) bindings.add(b);
    if (!bindings.size) return;
    const reported = new Set<string>();
    const scan = (n: Node, inClosure: boolean): void => {
      if (n.type === "Identifier" && inClosure) {
        const b = this.info.refOf.get(n)?.binding;
        if (b && bindings.has(b) && !reported.has(b.name)) {
          reported.add(b.name);
          this.add(n, "a closure captures the loop variable '" + b.name + "' of a for (" + decl.kind + " ...) loop: on Espruino all iterations share one binding; copy it into a const inside the body or use a helper function");
        }
        return;
      }
      const closure = inClosure || isFunction(n) || n.type === "ClassBody";
      for (const c of children(n)) scan(c, closure);
    };
    scan(loop.body, false);
    if (loop.update) scan(loop.update, false);
  }

  /** class X extends Error { constructor(){ super() } } is a syntax error; instanceof on Error subclasses fails */
  checkErrorSubclass(node: Node): void {
    if (!node.superClass || node.superClass.type !== "Identifier" || !ERROR_CLASSES.has(node.superClass.name) || !this.isGlobal(node.superClass)) return;
    const ctor = node.body.body.find((m: Node) => m.kind === "constructor");
    if (ctor) this.add(node, "class extends " + node.superClass.name + " with a constructor calling super() is a syntax error on Espruino: use a plain Error with a code field");
    else this.add(node, "class extends " + node.superClass.name + ": instanceof is false and .message is undefined on Espruino; use a plain Error with a code field", true);
  }

  /** TypeScript-lowered Error subclasses: var X = (function (_super) {...})(Error); then `e instanceof X` */
  checkLoweredErrorSubclasses(program: Node): void {
    const errorVars = new Set<any>();
    for (const ref of this.info.refs) {
      const b = ref.binding;
      if (!b || !b.value || b.decls.length !== 1 || b.value.type !== "CallExpression") continue;
      const call = b.value;
      if (isFunction(call.callee) && call.arguments.length === 1 && call.arguments[0].type === "Identifier" &&
          ERROR_CLASSES.has(call.arguments[0].name) && this.isGlobal(call.arguments[0])) errorVars.add(b);
    }
    const scan = (n: Node): void => {
      if (n.type === "BinaryExpression" && n.operator === "instanceof" && n.right.type === "Identifier") {
        const b = this.info.refOf.get(n.right)?.binding;
        if (b && errorVars.has(b)) this.add(n, "instanceof on an Error subclass is unreliable on Espruino: test a code field instead", true);
      }
      for (const c of children(n)) scan(c);
    };
    if (errorVars.size) scan(program);
  }
}

/** "file.ts:line:col (bundle line:col, offset n): message", with minified names restored */
function describe(map: TraceMap | undefined, f: Finding): string {
  const bundlePos = "bundle " + f.line + ":" + (f.column + 1) + ", offset " + f.pos;
  if (map) {
    const o = originalPositionFor(map, { line: f.line, column: f.column });
    if (o.source && o.line) {
      const message = f.ident && o.name ? f.message.split("'" + f.ident + "'").join("'" + o.name + "'") : f.message;
      return o.source + ":" + o.line + ":" + ((o.column || 0) + 1) + " (" + bundlePos + "): " + message;
    }
  }
  return bundlePos + ": " + f.message;
}

export function gate(code: string, opts: GateOptions = {}): GateResult {
  const bytes = Buffer.byteLength(code, "utf8");
  const lines = code.split("\n").length;
  const map = opts.map ? new TraceMap({ ...opts.map, sourceRoot: undefined } as any) : undefined;
  let ast: Node;
  try {
    ast = acorn.parse(code, { ecmaVersion: "latest", sourceType: "script", locations: true, allowHashBang: false });
  } catch (e: any) {
    const loc = e.loc || { line: 1, column: 0 };
    const f: Finding = { pos: e.pos || 0, line: loc.line, column: loc.column, message: "does not parse: " + e.message };
    return { errors: [describe(map, f)], warnings: [], bytes, lines, functions: 0 };
  }
  const info = analyse(ast);
  const checker = new Checker(info);
  checker.visit(ast, null);
  checker.checkLoweredErrorSubclasses(ast);
  for (const p of useBeforeDefinition(info)) checker.add(p.node, p.message);
  const sorted = checker.findings.sort((a, b) => a.pos - b.pos);
  const seen = new Set<string>();
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const f of sorted) {
    const line = describe(map, f);
    if (seen.has(line)) continue;
    seen.add(line);
    (f.warning ? warnings : errors).push(line);
  }
  if (opts.budget !== undefined && bytes > opts.budget) {
    errors.push("size: " + bytes + " bytes is over the board's budget of " + opts.budget + " bytes");
  }
  return { errors, warnings, bytes, lines, functions: checker.functions };
}

/** tsx tools/gate.ts FILE.js [--budget BYTES]: gates any script (uses FILE.js.map when present). */
export function main(argv: string[]): number {
  const file = argv[0];
  if (!file || file.startsWith("-")) { console.error("usage: gate.ts FILE.js [--budget BYTES]"); return 2; }
  if (!fs.existsSync(file)) { console.error("gate.ts: no such file " + file); return 2; }
  const budgetAt = argv.indexOf("--budget");
  const budget = budgetAt > 0 ? Number(argv[budgetAt + 1]) : undefined;
  if (budget !== undefined && !(budget > 0)) { console.error("gate.ts: --budget needs a positive number of bytes"); return 2; }
  const map = fs.existsSync(file + ".map") ? JSON.parse(fs.readFileSync(file + ".map", "utf8")) : undefined;
  const r = gate(fs.readFileSync(file, "utf8"), { map, budget });
  for (const w of r.warnings) console.log("warning: " + w);
  for (const e of r.errors) console.error(e);
  console.log(file + ": " + (r.errors.length ? r.errors.length + " problems" : "ok") + " (" + r.bytes + " bytes)");
  return r.errors.length ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
