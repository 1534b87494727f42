// The JsVar model: what the firmware's heap would cost on Espruino 2v29 (ESP32: 16,383 JsVars of
// 14 bytes), estimated from the structure of what the firmware context holds. Espruino stores
// everything in 14-byte blocks: an object is one block plus one "name" block per property
// (pointing at the value, or holding a small int inline), a function is a block plus its code
// reference (the body stays in flash when booting from Storage) plus a link to the scope chain
// it closes over, and every function activation that a live closure can still see is an object
// of its own (all its params, vars and inner function declarations, captured or not).
//
// The walk starts at the global object, the timers, watches and listeners, and follows
// objects, arrays, typed arrays and functions. V8 does not show closure scopes to JavaScript,
// so each function's [[Scopes]] and [[FunctionLocation]] come from node:inspector (same-thread
// session, synchronous); the location keys a static analysis of the bundle (acorn) that gives
// the function's parameters, nesting depth, whether its body is empty, and every name its
// activation declares. Results are cached per function object; a full estimate re-reads the
// captured values of every live scope, a quick one (the periodic check) reuses them.
//
// Constants: measured on the ESP32 twin (../shared/espruino-twin, Espruino 2v29) with tiny
// bundles booted from Storage, `process.memory(false).usage` deltas; docs/simulator.md
// "Memory" lists the measurements. Limits there too.
import * as acorn from "acorn";
import * as inspector from "node:inspector";
import type { Mcu } from "./mcu";
import { ignoreUseStrict } from "./mcu";
import { instrumentLoops } from "./runaway";
import { espruinoError } from "./realm";

// ---------------------------------------------------------------- calibrated constants
/** JsVars on the ESP32 build, bytes each */
export const JSVARS_TOTAL = 16383;
export const JSVAR_BYTES = 14;
/** the interpreter's own use after booting a bundle that holds nothing: `var z=1` as boot code
 *  measured 61 (60 + the name z); `(function(){var z=1; global.k=function(){return 0}})()` 67 */
export const BASELINE = 60;
/** a property/variable name block holds 4 characters ({abcd:1} 2, {abcde:1} 3), each extension 10
 *  more ({16 chars:1} 3, {30 chars:1} 4) */
const NAME_FIRST = 4, NAME_MORE = 10;
/** a string value: 9 characters in the first block, 10 in each extension (0-9 chars: 1 block,
 *  10-19: 2, 20-29: 3, 40: 5, 60: 7, 100: 11; literals from flash code are copied: same) */
const STR_FIRST = 9, STR_MORE = 10;
/** byte storage (ArrayBuffer/typed array data): a flat string of 14 bytes per block plus a
 *  header from 29 bytes on (Uint8Array(29) 4+2, (40) 4+2, (100) 9+2, (500) 37+2, (1000) 73+2);
 *  below, an ordinary string (Uint8Array(9) 1+2, (10..19) 2+2, (20..28) 3+2) */
const FLAT_FROM = 29, FLAT_BYTES = 14;
/** ints held inline in a name block: -8192..8191 ({a:8191} 2, {a:8192} 3, {a:-8193} 3) */
const INLINE_MIN = -8192, INLINE_MAX = 8191;
/** a function: its block + "code" name + flash-string reference (2) + one block per parameter;
 *  100 top-level functions of 0 params in an iife 499-500 = 5 each with the name in the scope,
 *  of 2 params 7 each, global ones (no scope) 4 each. An empty body `{}` stores no code and no
 *  scope: `function(){}` 1, `function(a){}` 2, `function(a,b,c){}` 4 */
const FN = 1, FN_CODE = 2;
/** the scope link: none for a global function, one name block pointing at the single enclosing
 *  scope at depth 1, and at depth d >= 2 a name plus an array of the chain (1 + d): class
 *  methods in a class iife 8 each (vs 5), one level deeper 9 */
export function scopeLinkCost(depth: number): number { return depth <= 0 ? 0 : depth === 1 ? 1 : 2 + depth; }
/** F.prototype created by `F.prototype.m = ...`: the name (2) + the object (1); the first
 *  `new F()` adds "constructor" (2): new G() with G.prototype not yet made 9 = 4 + 5 */
const PROTOTYPE = 3, CONSTRUCTOR = 2;
/** an object's "__proto__" link when its prototype is not a built-in one (Object.create({}) 4) */
const PROTO_LINK = 2;
/** a bare activation (scope) object */
const SCOPE = 1;
/** timers: setTimeout(function(){}, ms) 6 with the 1-block function, setInterval 8, two extra
 *  arguments +4 (array, name, 2 values); setWatch 12 with the function */
const TIMEOUT = 5, INTERVAL_EXTRA = 2, TIMER_ARGS = 2, WATCH = 11;
/** listeners: o.on("x", f) 2 with f (name "#onx"), a second one on the same event +2 with f */
const LISTENER_PREFIX = 3, LISTENER_EXTRA = 1;
/** new Promise(function(){}) 8 (unresolved, no reactions) */
const PROMISE = 7;
/** the first use of a built-in class (typed array kinds, ArrayBuffer, DataView, Date) costs
 *  about 8 blocks once: Uint8Array(0) first 11 vs 3, Uint16Array first 13 vs 5 */
const CLASS_FIRST_USE = 8;
/** new Date() 12 after the class's first use (~4), Error objects carry a stack string */
const DATE = 3, ERROR = 6;
/** native (API) functions: a reference costs one block */
const NATIVE_REF = 1;

/** blocks a property or variable name takes */
export function nameCost(len: number): number { return len <= NAME_FIRST ? 1 : 1 + Math.ceil((len - NAME_FIRST) / NAME_MORE); }
/** blocks a string value of `len` characters takes */
export function stringCost(len: number): number { return len <= STR_FIRST ? 1 : 1 + Math.ceil((len - STR_FIRST) / STR_MORE); }
/** blocks `n` bytes of ArrayBuffer storage take */
export function bytesCost(n: number): number { return n >= FLAT_FROM ? 1 + Math.ceil(n / FLAT_BYTES) : stringCost(n); }
function inlineInt(x: number): boolean { return x >= INLINE_MIN && x <= INLINE_MAX && Math.floor(x) === x && !Object.is(x, -0); }

// ---------------------------------------------------------------- static analysis of a bundle
export interface FnInfo {
  id: number;
  /** offset of the `(` of the parameter list (V8's [[FunctionLocation]]) */
  at: number;
  params: string[];
  empty: boolean;
  /** enclosing functions (not counting the program) */
  depth: number;
  parent: FnInfo | null;
  /** runs once per run of its parent: an iife whose ancestors are all iifes (or the program) */
  singleton: boolean;
  /** names its activation holds on Espruino: params, vars, inner function declarations */
  declared: string[];
  /** inner function declarations by name (their static cost stands in when V8 keeps none) */
  decls: Map<string, FnInfo>;
  /** the function expression's own name (V8 keeps it in a scope of its own) */
  selfName: string | null;
}

export interface BundleInfo {
  byAt: Map<number, FnInfo>;
  /** by source text (what Function.prototype.toString gives): locates most functions without
   *  the inspector */
  byText: Map<string, FnInfo[]>;
  lineStarts: number[];
  all: FnInfo[];
}

const analyses: { code: string; info: BundleInfo }[] = [];

/** the functions of `code` (the text V8 runs), cached for the last few bundles */
export function analyzeBundle(code: string): BundleInfo {
  const hit = analyses.find((a) => a.code === code);
  if (hit) return hit.info;
  const info = analyze(code);
  if (analyses.length >= 8) analyses.shift();
  analyses.push({ code, info });
  return info;
}

function analyze(code: string): BundleInfo {
  const lineStarts = [0];
  for (let i = code.indexOf("\n"); i >= 0; i = code.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  const byAt = new Map<number, FnInfo>();
  const byText = new Map<string, FnInfo[]>();
  const all: FnInfo[] = [];
  let ast: any;
  try {
    ast = acorn.parse(code, { ecmaVersion: "latest", sourceType: "script", allowReturnOutsideFunction: true, allowHashBang: true });
  } catch {
    return { byAt, byText, lineStarts, all };
  }
  let nextId = 1;
  const isFn = (n: any) => n && (n.type === "FunctionDeclaration" || n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression");
  /** iife: the callee of a call, possibly wrapped in `!`, `(...)`, `.call(...)` */
  const iifes = new Set<any>();
  const markIife = (call: any) => {
    let c = call.callee;
    if (c && c.type === "MemberExpression" && !c.computed && (c.property.name === "call" || c.property.name === "apply")) c = c.object;
    if (isFn(c)) iifes.add(c);
  };
  const visit = (node: any, fn: FnInfo | null, declareIn: FnInfo | null): void => {
    if (!node || typeof node.type !== "string") return;
    if (node.type === "CallExpression" || node.type === "NewExpression") markIife(node);
    if (isFn(node)) {
      const parenAt = node.type === "ArrowFunctionExpression" ? node.start
        : code.indexOf("(", node.id ? node.id.end : node.start + 8);
      const parent = fn;
      const info: FnInfo = {
        id: nextId++, at: parenAt, params: [], empty: false, depth: parent ? parent.depth + 1 : 0, parent,
        singleton: iifes.has(node) && (!parent || parent.singleton), declared: [], decls: new Map(),
        selfName: node.type === "FunctionExpression" && node.id ? node.id.name : null,
      };
      // the program's top-level iife: parent null, depth 0 would be wrong; depth counts the
      // enclosing functions, so this function's own children see depth + 1
      info.depth = parent ? parent.depth + 1 : 0;
      if (node.type === "FunctionDeclaration" && node.id && declareIn) {
        declareIn.declared.push(node.id.name);
        declareIn.decls.set(node.id.name, info);
      }
      for (const p of node.params) for (const n of patternNames(p)) info.params.push(n);
      info.declared.push(...info.params);
      const body = node.body;
      info.empty = body.type === "BlockStatement" && body.body.length === 0;
      byAt.set(parenAt, info);
      all.push(info);
      const text = code.slice(node.start, node.end);
      const same = byText.get(text);
      if (same) same.push(info); else byText.set(text, [info]);
      if (body.type === "BlockStatement") for (const s of body.body) visit(s, info, info);
      else visit(body, info, info);
      return;
    }
    if (node.type === "VariableDeclaration" && node.kind === "var" && declareIn) {
      for (const d of node.declarations) {
        for (const n of patternNames(d.id)) if (!declareIn.declared.includes(n)) declareIn.declared.push(n);
        // `var f = function () {...}`: a function V8 may keep nowhere (nothing captured f)
        if (d.id.type === "Identifier" && d.init && (d.init.type === "FunctionExpression" || d.init.type === "ArrowFunctionExpression")) {
          varFns.push({ scope: declareIn, name: d.id.name, node: d.init });
        }
      }
    }
    for (const key of Object.keys(node)) {
      if (key === "type" || key === "start" || key === "end") continue;
      const v = node[key];
      if (Array.isArray(v)) { for (const x of v) if (x && typeof x.type === "string") visit(x, fn, declareIn); }
      else if (v && typeof v.type === "string") visit(v, fn, declareIn);
    }
  };
  // iifes must be known before their function node is visited: the call node comes first in
  // a pre-order walk (callee is a child of the call), so marking at the call works
  const varFns: { scope: FnInfo; name: string; node: any }[] = [];
  visit(ast, null, null);
  for (const v of varFns) {
    const at = code.indexOf("(", v.node.id ? v.node.id.end : v.node.start + 8);
    const f = v.node.type === "ArrowFunctionExpression" ? byAt.get(v.node.start) : byAt.get(at);
    if (f && !v.scope.decls.has(v.name)) v.scope.decls.set(v.name, f);
  }
  return { byAt, byText, lineStarts, all };
}

function patternNames(p: any): string[] {
  if (!p) return [];
  switch (p.type) {
    case "Identifier": return [p.name];
    case "AssignmentPattern": return patternNames(p.left);
    case "RestElement": return patternNames(p.argument);
    case "ArrayPattern": return p.elements.flatMap((e: any) => patternNames(e));
    case "ObjectPattern": return p.properties.flatMap((q: any) => patternNames(q.type === "RestElement" ? q.argument : q.value));
    default: return [];
  }
}

/** what a function costs itself (not its properties, not its name where it is stored) */
export function functionCost(f: FnInfo): number {
  return FN + f.params.length + (f.empty ? 0 : FN_CODE + scopeLinkCost(f.depth));
}

// ---------------------------------------------------------------- the inspector (closure scopes)
let session: inspector.Session | null = null;
const HOLDER = "__simMemoryProbe";
function post(method: string, params: object): any {
  if (!session) { session = new inspector.Session(); session.connect(); }
  let res: any, err: any, done = false;
  session.post(method, params, (e, r) => { err = e; res = r; done = true; });
  if (!done) throw new Error("sim memory model: the inspector answered asynchronously");
  if (err) throw err;
  return res;
}

interface Located { scriptId: string; line: number; column: number }
interface RawScope { type: string; values: Record<string, unknown> }
/** [[FunctionLocation]] and the closure scopes (innermost first) of each function */
function inspectFunctions(fns: Function[]): ({ loc: Located | null; scopes: RawScope[] } | null)[] {
  try {
    return inspectNow(fns);
  } catch {
    // no inspector (a Node built without it, or it refused): functions count without scopes
    return fns.map(() => null);
  }
}

function inspectNow(fns: Function[]): ({ loc: Located | null; scopes: RawScope[] } | null)[] {
  const g = globalThis as any;
  g[HOLDER] = fns;
  const out: ({ loc: Located | null; scopes: RawScope[] } | null)[] = [];
  try {
    const arr = post("Runtime.evaluate", { expression: `globalThis.${HOLDER}`, objectGroup: "simmem" }).result;
    const props = post("Runtime.getProperties", { objectId: arr.objectId, ownProperties: true }).result as any[];
    const ids: string[] = [];
    for (const p of props) if (/^\d+$/.test(p.name)) ids[Number(p.name)] = p.value?.objectId;
    for (let i = 0; i < fns.length; i++) {
      const id = ids[i];
      if (!id) { out.push(null); continue; }
      const r = post("Runtime.getProperties", { objectId: id, ownProperties: true });
      let loc: Located | null = null, scopesId: string | undefined;
      for (const ip of r.internalProperties ?? []) {
        if (ip.name === "[[FunctionLocation]]") {
          const v = ip.value.value;
          loc = { scriptId: v.scriptId, line: v.lineNumber, column: v.columnNumber };
        } else if (ip.name === "[[Scopes]]") scopesId = ip.value.objectId;
      }
      const scopes: RawScope[] = [];
      if (scopesId) {
        g[HOLDER] = null;
        post("Runtime.callFunctionOn", { objectId: scopesId, functionDeclaration: `function () { globalThis.${HOLDER} = this; }`, objectGroup: "simmem" });
        const list = g[HOLDER];
        if (list && typeof list.length === "number") {
          for (let k = 0; k < list.length; k++) {
            const e = list[k];
            if (!e || typeof e.description !== "string") continue;
            const type = e.description.split(" ")[0];
            if (type === "Global" || type === "Script") continue;
            scopes.push({ type, values: e.object ?? {} });
          }
        }
      }
      out.push({ loc, scopes });
    }
  } finally {
    delete g[HOLDER];
    try { post("Runtime.releaseObjectGroup", { objectGroup: "simmem" }); } catch { /* nothing held */ }
  }
  return out;
}

// ---------------------------------------------------------------- the walk
/** what the model needs from the running MCU */
export interface MemoryRoots {
  /** the firmware's global object */
  global: any;
  /** the code V8 runs for the bundle (after the simulator's own rewrites) */
  code(): string | null;
  /** built-in global names and values, and the own keys each built-in object had, at boot */
  builtins: Map<string, unknown>;
  builtinKeys: WeakMap<object, Set<string>>;
  /** is f an API function (host-backed) */
  isNative(f: unknown): boolean;
  /** the context's intrinsic prototypes (no __proto__ link for objects with these) */
  plainProtos: Set<object>;
  /** the context's Date and Error prototypes */
  dateProto: object; errorProto: object;
  /** timers and watches held by the interpreter */
  timers(): Iterable<{ fn: unknown; args: unknown[]; interval: number }>;
  watches(): Iterable<{ fn: unknown }>;
  /** JsVars native code holds from the store, outside what the model walks (mbedTLS) */
  native?(): number;
}

interface Ctx { key: string; owner: FnInfo; values: Record<string, unknown>; alias: Ctx | null; read: number }
interface FnRecord { info: FnInfo | null; chain: (Ctx | null)[]; approx?: boolean }

const LISTENERS = "\u00ffon";
const PROMISE_STATE = "\u00ffpromise";

export interface Estimate {
  usage: number;
  /** breakdown by kind, for reports and tests */
  parts: Record<string, number>;
  functions: number;
  scopes: number;
  /** functions sent to the inspector for this estimate */
  inspected: number;
}

function resolve(c: Ctx): Ctx { while (c.alias) c = c.alias; return c; }

export class MemoryModel {
  /** per function object: static info and its scope chain (contexts as of the last read) */
  private fns = new WeakMap<Function, FnRecord>();
  private ids = new WeakMap<object, number>();
  private nextId = 1;
  private bundle: BundleInfo | null = null;
  private bundleCode: string | null = null;
  private scriptId: string | null = null;
  /** contexts by key */
  private ctxs = new Map<string, Ctx>();
  /** a function whose [[Scopes]] shows the context (to read its values again) */
  private reps = new Map<Ctx, Function>();
  /** per source function, the chain of the last closure the inspector read */
  private lastChain = new Map<FnInfo, (Ctx | null)[]>();
  /** full estimates so far (a context's `read` says when its values were last read) */
  private round = 0;
  private inspected = 0;

  constructor(private readonly roots: MemoryRoots) {}

  private idOf(o: object): number {
    let n = this.ids.get(o);
    if (n === undefined) { n = this.nextId++; this.ids.set(o, n); }
    return n;
  }

  private info(): BundleInfo | null {
    const code = this.roots.code();
    if (code !== this.bundleCode) { this.bundleCode = code; this.bundle = code ? analyzeBundle(code) : null; this.scriptId = null; }
    return this.bundle;
  }

  /** locate functions not yet known and find their scope chains: by source text when it
   *  is unique in the bundle and every enclosing function runs once (a global function, a
   *  method of a class iife...), else through the inspector */
  private learn(fns: Function[], full: boolean): void {
    const todo = fns.filter((f) => { const r = this.fns.get(f); return !r || (full && r.approx); });
    if (!todo.length) return;
    const bundle = this.info();
    const hard: Function[] = [];
    for (const f of todo) {
      const known = bundle ? this.byText(bundle, f, full) : null;
      if (known) this.fns.set(f, known); else hard.push(f);
    }
    if (!hard.length) return;
    const found = inspectFunctions(hard);
    this.inspected += hard.length;
    for (let i = 0; i < hard.length; i++) {
      const f = hard[i]!, r = found[i];
      let info: FnInfo | null = null;
      if (r && r.loc && bundle) {
        const at = (bundle.lineStarts[r.loc.line] ?? -1) + r.loc.column;
        const cand = bundle.byAt.get(at);
        if (cand && (this.scriptId === null || this.scriptId === r.loc.scriptId)) {
          info = cand;
          if (this.scriptId === null) this.scriptId = r.loc.scriptId;
        }
      }
      const chain = info ? this.chainOf(f, info, r ? r.scopes : []) : [];
      this.fns.set(f, { info, chain });
      if (info) this.lastChain.set(info, chain);
    }
  }

  private byText(bundle: BundleInfo, f: Function, full: boolean): FnRecord | null {
    let text: string;
    try { text = Function.prototype.toString.call(f); } catch { return null; }
    const cands = bundle.byText.get(text);
    if (!cands) return { info: null, chain: [] }; // not the bundle's (prelude, eval)
    const info = cands[0]!;
    if (cands.length > 1 && !cands.every((c) => c.depth === 0 && c.params.length === info.params.length && c.empty === info.empty)) return null;
    if (info.empty || info.depth === 0) return { info, chain: [] };
    const chain: Ctx[] = [];
    for (let p = info.parent; p; p = p.parent) {
      if (!p.singleton) {
        // a closure made by a call (a factory, a callback per request): its activation is only
        // known to the inspector. A quick estimate takes the chain of the last closure of that
        // source position (a full one inspects it)
        const last = full ? undefined : this.lastChain.get(info);
        return last ? { info, chain: last, approx: true } : null;
      }
      const c = this.ctxs.get("f" + p.id);
      if (!c) return null; // not seen yet: the inspector tells whether V8 keeps a context
      chain.push(resolve(c));
    }
    return { info, chain };
  }

  /** read the captured values of these contexts again (one inspection per context) */
  private reread(list: Ctx[]): void {
    const fns: Function[] = [];
    const want = new Set<Function>();
    for (const c of list) { const f = this.reps.get(c); if (f && !want.has(f)) { want.add(f); fns.push(f); } }
    if (!fns.length) return;
    const found = inspectFunctions(fns);
    this.inspected += fns.length;
    for (let i = 0; i < fns.length; i++) {
      const rec = this.fns.get(fns[i]!), r = found[i];
      if (!rec || !rec.info || !r) continue;
      for (const m of this.match(rec.info, r.scopes)) {
        const c = rec.chain[m.k];
        if (!c) continue;
        const ctx = resolve(c);
        ctx.values = m.values;
        ctx.read = this.round;
        if (!ctx.owner.singleton) {
          // re-key; a context that now has another's key is the same activation
          const key = this.keyOf(ctx.owner, m.values);
          if (key !== ctx.key) {
            if (this.ctxs.get(ctx.key) === ctx) this.ctxs.delete(ctx.key);
            const other = this.ctxs.get(key);
            if (other && other !== ctx) ctx.alias = other;
            else { ctx.key = key; this.ctxs.set(key, ctx); }
          }
        }
      }
    }
  }

  /** V8's closure scopes (innermost first, captured variables only) matched to the static
   *  enclosing functions: index into the ancestors, and the values */
  private match(info: FnInfo, scopes: RawScope[]): { k: number; values: Record<string, unknown> }[] {
    const ancestors: FnInfo[] = [];
    for (let p = info.parent; p; p = p.parent) ancestors.push(p);
    const out: { k: number; values: Record<string, unknown> }[] = [];
    let j = 0;
    let pending: Record<string, unknown> = {};
    for (const s of scopes) {
      const names = Object.keys(s.values);
      if (s.type !== "Closure") { pending = Object.assign(pending, s.values); continue; }
      // a function expression's own name gets a scope of its own in V8
      if (names.length === 1 && [info, ...ancestors].some((a) => a.selfName === names[0] && !a.declared.includes(names[0]!))) continue;
      let k = j;
      while (k < ancestors.length && !names.every((n) => ancestors[k]!.declared.includes(n) || ancestors[k]!.selfName === n)) k++;
      if (k >= ancestors.length) continue;
      out.push({ k, values: Object.assign(pending, s.values) });
      pending = {};
      j = k + 1;
    }
    return out;
  }

  /** a non-singleton activation is told apart by the objects it holds (by the primitives
   *  when it holds none) */
  private keyOf(owner: FnInfo, values: Record<string, unknown>): string {
    const names = Object.keys(values);
    const objs = names.filter((n) => { const v = values[n]; return v !== null && (typeof v === "object" || typeof v === "function"); });
    const use = objs.length ? objs : names;
    return "f" + owner.id + ":" + use.map((n) => {
      const v = values[n];
      return v !== null && (typeof v === "object" || typeof v === "function") ? n + "#" + this.idOf(v as object) : n + "=" + typeof v + String(v);
    }).join(",");
  }

  /** one context per activation along the function's static chain */
  private chainOf(f: Function, info: FnInfo, scopes: RawScope[]): (Ctx | null)[] {
    const ancestors: FnInfo[] = [];
    for (let p = info.parent; p; p = p.parent) ancestors.push(p);
    const chain: (Ctx | null)[] = ancestors.map(() => null);
    for (const m of this.match(info, scopes)) {
      const owner = ancestors[m.k]!;
      const key = owner.singleton ? "f" + owner.id : this.keyOf(owner, m.values);
      let ctx = this.ctxs.get(key);
      if (ctx) ctx = resolve(ctx);
      if (!ctx) { ctx = { key, owner, values: m.values, alias: null, read: this.round }; this.ctxs.set(key, ctx); }
      else if (ctx.read < this.round) { ctx.values = m.values; ctx.read = this.round; }
      if (!this.reps.has(ctx)) this.reps.set(ctx, f);
      chain[m.k] = ctx;
    }
    // activations V8 keeps no context for (nothing captured): one per singleton function;
    // else one per nearest known activation of a non-singleton, or one per function when
    // none is known (the closures of several calls are then taken for one call's)
    for (let k = 0; k < ancestors.length; k++) {
      if (chain[k]) continue;
      const owner = ancestors[k]!;
      let key = "f" + owner.id;
      if (!owner.singleton) {
        const near = chain.slice(0, k).reverse().find((c) => c && !c.owner.singleton) ?? chain.slice(k + 1).find((c) => c && !c.owner.singleton);
        key += near ? "@" + near.key : "@any";
      }
      let ctx = this.ctxs.get(key);
      if (ctx) ctx = resolve(ctx);
      if (!ctx) { ctx = { key, owner, values: {}, alias: null, read: this.round }; this.ctxs.set(key, ctx); }
      chain[k] = ctx;
    }
    return chain;
  }

  /** the estimate: `full` re-reads every live scope's captured values (process.memory()),
   *  otherwise the values read last time are reused and only new functions are inspected */
  /** JsVars held by native code (roots.native) */
  native(): number { return this.roots.native ? this.roots.native() : 0; }

  estimate(full: boolean): Estimate {
    const parts: Record<string, number> = { baseline: BASELINE, globals: 0, objects: 0, arrays: 0, strings: 0, bytes: 0, functions: 0, scopes: 0, timers: 0, listeners: 0, classes: 0 };
    const r = this.roots;
    const seen = new Set<unknown>();
    const buffers = new Set<unknown>();
    const usedProtos = new Set<object>();
    const classes = new Set<object>();
    const fnList: Function[] = [];
    const stack: unknown[] = [];
    let functions = 0;
    if (full) this.round++;
    this.inspected = 0;

    /** cost of a value held by a name block (objects are pushed and counted once) */
    const held = (v: unknown, inArray: boolean): number => {
      switch (typeof v) {
        case "undefined": return 0;
        case "number": return inlineInt(v) ? 0 : 1;
        case "boolean": return inArray ? 0 : 1;
        case "string": return stringCost(v.length);
        case "bigint": case "symbol": return 1;
        default:
          if (v === null) return 1;
          if (!seen.has(v)) stack.push(v);
          return 0;
      }
    };
    const listeners = (o: any): number => {
      if (!Object.prototype.hasOwnProperty.call(o, LISTENERS)) return 0;
      const all = o[LISTENERS];
      let n = 0;
      for (const ev of Object.keys(all)) {
        const l = all[ev];
        if (!l || !l.length) continue;
        n += nameCost(LISTENER_PREFIX + ev.length) + (l.length > 1 ? LISTENER_EXTRA * (l.length - 1) : 0);
        for (const fn of l) held(fn, true);
      }
      parts.listeners! += n;
      return n;
    };
    const props = (o: any, skip: Set<string> | null): number => {
      let n = 0;
      for (const k of Object.keys(o)) {
        if (skip && skip.has(k)) continue;
        n += nameCost(k.length) + held(o[k], false);
      }
      return n;
    };

    // the global object: firmware names (built-ins cost nothing until the firmware adds to them)
    const g = r.global;
    for (const k of Object.keys(g)) {
      const v = g[k];
      if (r.builtins.has(k) && r.builtins.get(k) === v) {
        if (v !== g && v !== null && (typeof v === "object" || typeof v === "function")) {
          const keys = r.builtinKeys.get(v as object);
          parts.globals! += listeners(v) + (keys ? props(v, keys) : 0);
        }
        continue;
      }
      parts.globals! += nameCost(k.length) + held(v, false);
    }
    for (const t of r.timers()) {
      parts.timers! += TIMEOUT + (t.interval > 0 ? INTERVAL_EXTRA : 0) + held(t.fn, false);
      if (t.args.length) { parts.timers! += TIMER_ARGS; for (const a of t.args) parts.timers! += 1 + held(a, true); }
    }
    for (const w of r.watches()) parts.timers! += WATCH + held(w.fn, false);

    const drain = (): void => {
      while (stack.length) {
        const v = stack.pop() as any;
        const before = seen.size;
        seen.add(v);
        if (seen.size === before) continue;
        if (typeof v === "function") {
          functions++;
          if (r.isNative(v)) { parts.functions! += NATIVE_REF; continue; }
          fnList.push(v);
          parts.functions! += props(v, null) + listeners(v);
          continue; // own cost and scopes once the functions are known (below)
        }
        const proto = Object.getPrototypeOf(v);
        if (proto === objectProto) { objects += 1 + props(v, null) + listeners(v); continue; } // the usual case
        if (Array.isArray(v)) {
          let n = 1;
          for (let i = 0, len = v.length; i < len; i++) {
            const x = v[i];
            if (x !== undefined || i in v) n += 1 + held(x, true);
          }
          parts.arrays! += n + listeners(v);
          continue;
        }
        if (ArrayBuffer.isView(v)) {
          const b = (v as any).buffer;
          parts.bytes! += 1;
          if (!buffers.has(b)) { buffers.add(b); parts.bytes! += 1 + bytesCost(b.byteLength); }
          classes.add(proto);
          continue;
        }
        if (isArrayBufferLike(v)) {
          if (!buffers.has(v)) { buffers.add(v); parts.bytes! += 1 + bytesCost(v.byteLength); }
          classes.add(proto);
          continue;
        }
        let n = 1;
        if (proto === r.dateProto) { n = DATE; classes.add(proto); }
        else if (proto === r.errorProto || (proto && r.errorProto.isPrototypeOf(proto))) {
          n = ERROR + stringCost(String(v.message ?? "").length);
        } else if (proto !== null && !r.plainProtos.has(proto)) {
          n += PROTO_LINK;
          usedProtos.add(proto);
          if (!seen.has(proto)) stack.push(proto);
        }
        if (Object.prototype.hasOwnProperty.call(v, PROMISE_STATE)) {
          const st = v[PROMISE_STATE];
          n += PROMISE - 1;
          held(st.v, false);
          if (st.h) for (const h of st.h) { n += 2; held(h.f, true); held(h.r, true); held(h.p, true); }
        }
        objects += n + props(v, null) + listeners(v);
      }
    };
    const objectProto = Object.getPrototypeOf(r.dateProto);
    let objects = 0;
    drain();

    // functions: static info and scope chains (the inspector, for functions not seen before or
    // all of them on a full estimate), then each live activation once, then prototypes
    const ctxSeen = new Set<Ctx>();
    const infoSeen = new Set<FnInfo>();
    const standIns: FnInfo[] = [];
    let done = 0;
    const protoDone = new Set<Function>();
    for (;;) {
      const batch = fnList.slice(done);
      if (!batch.length) break;
      done = fnList.length;
      this.learn(batch, full);
      if (full) {
        const stale: Ctx[] = [];
        for (const f of batch) {
          const rec = this.fns.get(f);
          if (rec) for (const c of rec.chain) if (c && resolve(c).read < this.round) stale.push(resolve(c));
        }
        this.reread(stale);
      }
      for (const f of batch) {
        const rec = this.fns.get(f);
        if (!rec || !rec.info) { parts.functions! += FN + (typeof f.length === "number" ? f.length : 0); continue; }
        parts.functions! += functionCost(rec.info);
        infoSeen.add(rec.info);
        if (rec.info.empty) continue;
        for (const c0 of rec.chain) {
          if (!c0) continue;
          const c = resolve(c0);
          if (ctxSeen.has(c)) continue;
          ctxSeen.add(c);
          let n = SCOPE;
          for (const name of c.owner.declared) {
            n += nameCost(name.length);
            if (Object.prototype.hasOwnProperty.call(c.values, name)) n += held(c.values[name], false);
            else {
              // a declaration no closure captured (V8 kept it nowhere): counted at the end
              // unless the walk met the function anyway
              const d = c.owner.decls.get(name);
              if (d) standIns.push(d);
            }
          }
          parts.scopes! += n;
        }
      }
      drain();
      // prototypes: counted when they have members or instances
      for (const f of fnList) {
        if (protoDone.has(f) || r.isNative(f)) continue;
        protoDone.add(f);
        let p: any;
        try { p = (f as any).prototype; } catch { continue; }
        if (!p || typeof p !== "object") continue;
        const used = usedProtos.has(p);
        if (!used && !hasOwnKeys(p)) continue;
        parts.functions! += PROTOTYPE - 1 + (used && !Object.prototype.propertyIsEnumerable.call(p, "constructor") ? CONSTRUCTOR : 0);
        if (!seen.has(p)) stack.push(p);
      }
      drain();
      if (fnList.length === done) break;
    }
    for (const d of standIns) if (!infoSeen.has(d)) { infoSeen.add(d); parts.scopes! += functionCost(d); }
    if (full && this.roots.global === this.roots.global.global) {
      // forget activations no live function sees any more (their closures died)
      for (const [key, c] of this.ctxs) if (!ctxSeen.has(resolve(c))) this.ctxs.delete(key);
      for (const c of this.reps.keys()) if (!ctxSeen.has(c)) this.reps.delete(c);
    }
    parts.objects = objects;
    parts.classes = classes.size * CLASS_FIRST_USE;
    const native = this.native();
    if (native) parts.native = native;
    let usage = 0;
    for (const k of Object.keys(parts)) usage += parts[k]!;
    return { usage, parts, functions, scopes: ctxSeen.size, inspected: this.inspected };
  }

  /** E.getSizeOf(v): the blocks v and what it holds take (a function with its scopes) */
  sizeOf(v: unknown): number {
    if (v === null || typeof v !== "object" && typeof v !== "function") return typeof v === "string" ? stringCost(v.length) : 1;
    const sub = new MemoryModel({
      ...this.roots, global: { v }, builtins: new Map(), builtinKeys: new WeakMap(), timers: () => [], watches: () => [],
    });
    sub.fns = this.fns; sub.ids = this.ids; sub.nextId = this.nextId; sub.bundle = this.bundle; sub.bundleCode = this.bundleCode;
    sub.scriptId = this.scriptId; sub.ctxs = this.ctxs; sub.reps = this.reps; sub.round = this.round; sub.lastChain = this.lastChain;
    const e = sub.estimate(true);
    this.nextId = sub.nextId; this.round = sub.round; this.scriptId = sub.scriptId;
    // not v's: the interpreter, the holder's name, first uses of built-in classes
    return e.usage - BASELINE - nameCost(1) - e.parts.classes!;
  }
}

function hasOwnKeys(o: object): boolean {
  for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k)) return true;
  return false;
}

function isArrayBufferLike(v: any): v is ArrayBuffer {
  return Object.prototype.toString.call(v) === "[object ArrayBuffer]";
}

// ---------------------------------------------------------------- the interpreter's conditions
/** LOW_MEMORY once fewer blocks than this are free after a callback: Espruino sets it when its
 *  free list runs dry and a garbage collection is needed, which happens inside a callback while
 *  its temporaries are held; the model only sees what stays between callbacks, so it keeps this
 *  much headroom for them (a sale's ISO message, receipt lines and screens: a few hundred) */
export const LOW_MEMORY_FREE = 1000;
/** virtual seconds to the next periodic check, by how full the estimate is: a quick estimate
 *  of the firmware at idle takes ~1.3 ms, and a sale ~3.5 virtual seconds (~4 ms of wall time) */
export function checkInterval(usage: number, total = JSVARS_TOTAL): number {
  return usage < total / 2 ? 30 : usage < total * 3 / 4 ? 10 : 2;
}

/** the boot's virtual second (see MemoryMonitor.bootStale) */
const BOOT_S = 1;
/** E.getSizeOf(global) on the twin is the usage less the interpreter's blocks outside the
 *  root: 5,103 of 5,122 and 6,597 of 6,626 on two firmware builds */
const OUTSIDE_ROOT = 20;

/** virtual seconds between full estimates for process.memory() */
export const REFRESH_S = 60;

/** the interrupt reason the Mcu gets from `overLimit` */
export const OUT_OF_MEMORY_REASON = "out of memory";

export interface MemoryReport { usage: number; free: number; total: number; parts: Record<string, number>; }

/** The model on a running MCU: process.memory(), E.getSizeOf, and the periodic check that
 *  raises LOW_MEMORY and stops the firmware when the estimate passes the total. */
export class MemoryMonitor {
  readonly model: MemoryModel;
  private cacheKey = -1;
  private cacheTime = -1;
  private cached: Estimate | null = null;
  /** the estimate passed the total: callbacks are interrupted until it drops below again */
  outOfMemory = false;
  private lastRecheck = -Infinity;
  /** the last estimate (full or quick), and the highest usage a check saw */
  last: Estimate | null = null;
  peak = 0;
  checks = 0;
  /** false: estimate and keep `peak` only (no LOW_MEMORY, no out of memory) */
  enforce = true;

  constructor(private readonly mcu: MemoryMcu, roots: MemoryRoots, readonly total = JSVARS_TOTAL) {
    this.model = new MemoryModel(roots);
    this.bootAt = mcu.now();
  }

  private lastFull = -Infinity;
  /** power-on time: estimates made while the firmware boots (load, init, onInit) are not
   *  reused past its first virtual second */
  private readonly bootAt: number;
  private bootStale(now: number): boolean { return this.lastAt < this.bootAt + BOOT_S && now >= this.bootAt + BOOT_S; }
  /** when `last` was made */
  private lastAt = -Infinity;

  /** process.memory(): the last estimate while it is fresh (younger than the check interval:
   *  30 virtual s below half full, 10 s below three quarters, 2 s above; the firmware asks
   *  before each sale, firmware/board.ts memoryLow), else a new one: full (every live scope
   *  read again) when the last full one is REFRESH_S old, quick otherwise.
   *  `fresh` (tests): a full estimate now, unless this callback already made one. */
  report(fresh = false): MemoryReport {
    const key = this.mcu.stats.callbacks, t = this.mcu.now();
    const sameTurn = this.cached !== null && key === this.cacheKey && t === this.cacheTime;
    const last = this.last;
    const stale = !last || t - this.lastAt >= checkInterval(last.usage, this.total) || this.bootStale(t) || this.nativeMoved(last);
    if (fresh ? !sameTurn || this.nativeMoved(this.cached!) : stale) {
      const full = fresh || t - this.lastFull >= REFRESH_S;
      if (full) this.lastFull = t;
      this.cached = this.model.estimate(full);
      this.cacheKey = key; this.cacheTime = t;
      this.last = this.cached; this.lastAt = t;
    } else if (last && last !== this.cached) this.cached = last;
    const e = this.cached!;
    const usage = Math.min(this.total, e.usage);
    return { usage, free: this.total - usage, total: this.total, parts: e.parts };
  }

  /** native code took or gave back JsVars since estimate e (a TLS socket opened or closed):
   *  an estimate is due at once, as the interpreter's figure moves at once */
  private nativeMoved(e: Estimate): boolean { return (e.parts.native ?? 0) !== this.model.native(); }

  /** the callback running at the top of the loop, and when its loops next check memory */
  private current: unknown = null;
  private loopCheckAt = 0;

  /** Inside a callback, from the runaway hook every 16,384 loop iterations: a quick estimate
   *  at 16k, 32k, 64k... iterations (a loop that fills memory is stopped within twice the
   *  iterations it took); the interrupt reason when the estimate is past the total. */
  overLimit(iterations: number): string | null {
    if (!this.enforce || iterations < this.loopCheckAt) return null;
    this.loopCheckAt = iterations * 2;
    const e = this.model.estimate(false);
    this.last = e; this.lastAt = this.mcu.now();
    if (e.usage > this.peak) this.peak = e.usage;
    return e.usage > this.total ? OUT_OF_MEMORY_REASON : null;
  }

  /** the Mcu interrupted a callback for `why`: true when it was out of memory (reported here) */
  stopped(why: string, position?: string): boolean {
    if (why !== OUT_OF_MEMORY_REASON) return false;
    this.outOfMemoryIn(this.current, position);
    return true;
  }

  /** after each callback at the top of the loop: a quick estimate when one is due */
  afterCallback(fn: unknown): void {
    const now = this.mcu.now();
    if (this.outOfMemory) return;
    // any estimate younger than the interval will do (process.memory() makes them too)
    if (this.last && now - this.lastAt < checkInterval(this.last.usage, this.total) && !this.bootStale(now) && !this.nativeMoved(this.last)) return;
    const e = this.model.estimate(false);
    this.last = e; this.lastAt = now;
    this.checks++;
    const free = this.total - e.usage;
    if (e.usage > this.peak) this.peak = e.usage;
    if (!this.enforce) return;
    if (free < LOW_MEMORY_FREE) this.mcu.setFlag("LOW_MEMORY");
    if (e.usage > this.total) this.outOfMemoryIn(fn);
  }

  /** what the twin prints when memory runs out in a callback; then nothing runs until the
   *  estimate is back under the total */
  private outOfMemoryIn(fn: unknown, position?: string): void {
    const now = this.mcu.now();
    const usage = this.last ? this.last.usage : 0;
    this.outOfMemory = true;
    this.lastRecheck = now;
    this.mcu.write("OUT OF MEMORY\n");
    if (position) this.mcu.write(` at ${position}\n`);
    this.mcu.host.error({ message: `OUT OF MEMORY (estimated ${usage} of ${this.total} JsVars)`, position, time: now });
    this.interrupted(fn);
    this.mcu.setFlag("LOW_MEMORY");
    this.mcu.setFlag("MEMORY");
    if (!this.mcu.hasErrorFlagListener()) this.mcu.write("New interpreter error: LOW_MEMORY,MEMORY\n");
  }

  /** before a callback at the top of the loop: true when it must not run (out of memory) */
  blocked(fn: unknown): boolean {
    this.current = fn;
    this.loopCheckAt = 0;
    if (!this.outOfMemory || !this.enforce) return false;
    const now = this.mcu.now();
    if (now - this.lastRecheck >= 0.1) {
      this.lastRecheck = now;
      const e = this.model.estimate(false);
      this.last = e; this.lastAt = now;
      if (e.usage <= this.total) { this.outOfMemory = false; return false; }
    }
    this.interrupted(fn);
    return true;
  }

  /** Espruino's messages for a callback stopped by the interrupt flag; an interval is removed */
  private interrupted(fn: unknown): void {
    for (const t of this.mcu.timers.values()) {
      if (t.fn === fn && t.interval > 0) {
        this.mcu.timers.delete(t.id);
        this.mcu.write("ERROR: Ctrl-C while processing interval - removing it.\n");
        this.mcu.setFlag("CALLBACK");
        break;
      }
    }
    this.mcu.write("Execution Interrupted during event processing.\n");
  }
}

/** what the monitor uses of the Mcu */
export interface MemoryMcu {
  stats: { callbacks: number };
  now(): number;
  timers: Map<number, { id: number; fn: unknown; interval: number }>;
  setFlag(flag: string): void;
  write(text: string): void;
  hasErrorFlagListener(): boolean;
  host: { error(e: { message: string; position?: string; time: number }): void };
}

/** the model on this MCU: process.memory(), process.memory(false), E.getSizeOf and the
 *  periodic check (Mcu.invoke calls `blocked` and `afterCallback`). Installed last, so
 *  everything the API put on the global object counts as built in. */
export function installMemory(mcu: Mcu): MemoryMonitor {
  const r = mcu.realm, g = r.global;
  const builtins = new Map<string, unknown>();
  const builtinKeys = new WeakMap<object, Set<string>>();
  const plainProtos = new Set<object>();
  for (const k of Object.getOwnPropertyNames(g)) {
    let v: any;
    try { v = g[k]; } catch { continue; }
    builtins.set(k, v);
    if (v === null || (typeof v !== "object" && typeof v !== "function")) continue;
    builtinKeys.set(v, new Set(Object.keys(v)));
    const p = typeof v === "function" ? Object.getOwnPropertyDescriptor(v, "prototype")?.value : null;
    if (p && typeof p === "object") plainProtos.add(p);
  }
  plainProtos.add(Object.getPrototypeOf(g.Uint8Array.prototype));
  let codeFor: string | null = null, code: string | null = null;
  const roots: MemoryRoots = {
    global: g,
    code: () => {
      const src = mcu.bundleSource;
      if (src !== codeFor) { codeFor = src; code = src === null ? null : instrumentLoops(ignoreUseStrict(src)).code; }
      return code;
    },
    builtins, builtinKeys,
    isNative: (f) => r.isNative(f),
    plainProtos,
    dateProto: g.Date.prototype, errorProto: g.Error.prototype,
    timers: () => mcu.timers.values(),
    watches: () => mcu.watchList(),
    native: () => mcu.nativeJsVars,
  };
  const monitor = new MemoryMonitor({
    stats: mcu.stats,
    now: () => mcu.host.clock.now(),
    timers: mcu.timers,
    setFlag: (f) => mcu.setFlag(f),
    write: (t) => mcu.write(t),
    hasErrorFlagListener: () => !!g.E && mcu.native.hasListeners(g.E, "errorFlag"),
    host: mcu.host,
  }, roots, mcu.host.board.mcu.jsVars || JSVARS_TOTAL);
  const memory = (gc?: unknown) => {
    void gc; // Espruino collects garbage first unless false: the model only sees live data
    const m = monitor.report();
    return { free: m.free, usage: m.usage, total: m.total, history: 0, gc: 0, gctime: 0, blocksize: JSVAR_BYTES };
  };
  r.methods(g.process, { memory });
  r.methods(g.E, {
    getSizeOf: (v: unknown) => {
      if (v === g) return monitor.report(true).usage - OUTSIDE_ROOT;
      try { return monitor.model.sizeOf(v); } catch (e) { throw espruinoError(String((e as Error).message ?? e)); }
    },
  });
  mcu.memory = monitor;
  return monitor;
}
