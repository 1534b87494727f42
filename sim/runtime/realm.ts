// The firmware's JavaScript world: a fresh vm context whose intrinsics are trimmed to what
// Espruino 2v29 has (espruino.md §1.2), plus the glue that lets host (Node) code hand values
// and functions to the firmware without leaking host objects: every host function is wrapped
// in a context-made function, every returned value is copied into context objects, and every
// host exception is rethrown as a context Error. So `fn.constructor("return process")()` finds
// the context's Function, never Node's.
import * as vm from "vm";

/** Globals Espruino does not have (or that are not on the ESP32 build). */
const ABSENT_GLOBALS = [
  "Map", "Set", "WeakMap", "WeakSet", "Symbol", "Proxy", "Reflect", "BigInt", "BigInt64Array", "BigUint64Array",
  "RangeError", "EvalError", "URIError", "AggregateError", "TextEncoder", "TextDecoder", "queueMicrotask",
  "setImmediate", "Intl", "WeakRef", "FinalizationRegistry", "SharedArrayBuffer", "Atomics", "WebAssembly",
  "console",
];
/** Methods Espruino lacks (espruino.md §1.2, measured), as [object path, names]. Only what is
 *  known to be absent: deleting a method the interpreter has would fail correct firmware. */
const ABSENT_MEMBERS: [string, string[]][] = [
  ["Object", ["freeze", "seal", "is"]],
  ["Object.prototype", ["__defineGetter__"]],
  ["Array", ["from", "of"]],
  ["Array.prototype", ["at", "flat", "flatMap", "findLast", "entries", "keys", "values", "copyWithin",
    "lastIndexOf", "reduceRight"]],
  ["String", ["fromCodePoint", "raw"]],
  ["String.prototype", ["at", "codePointAt", "trimStart", "trimEnd", "matchAll", "search", "normalize",
    "localeCompare"]],
  ["Number", ["isInteger", "isFinite", "isNaN", "parseFloat", "parseInt", "EPSILON", "MAX_SAFE_INTEGER"]],
  ["Number.prototype", ["toPrecision"]],
  ["Math", ["trunc", "imul", "log2", "log10", "hypot", "cbrt", "clz32", "fround", "expm1", "sinh"]],
  ["Date", ["UTC"]],
  ["Date.prototype", ["toLocaleString"]],
  ["ArrayBuffer", ["isView"]],
  ["ArrayBuffer.prototype", ["slice"]],
];
const TYPED = ["Uint8Array", "Int8Array", "Uint16Array", "Int16Array", "Uint32Array", "Int32Array",
  "Float32Array", "Float64Array", "Uint8ClampedArray"];

export type HostFn = (this: any, ...args: any[]) => any;

export class Realm {
  readonly context: vm.Context;
  readonly global: any;
  readonly Object: ObjectConstructor;
  readonly Array: ArrayConstructor;
  readonly Error: ErrorConstructor;
  readonly TypeError: TypeErrorConstructor;
  readonly Uint8Array: Uint8ArrayConstructor;
  readonly ArrayBuffer: ArrayBufferConstructor;
  private wrapFactory: (h: HostFn, fix: (e: unknown) => unknown, gate: { closed: Error | null }, out: (v: any) => any) => HostFn;
  /** context-side state the wrappers read: once closed, every host function throws this */
  private gate: { closed: Error | null };
  private wrapped = new WeakMap<HostFn, HostFn>();
  /** the context functions made by fn() (native functions, as the firmware sees them) */
  private wrappers = new WeakSet<object>();
  /** absent on Espruino but not removable from V8 (non-configurable constants) */
  readonly kept: string[] = [];

  constructor() {
    // a vanilla global (no contextified sandbox): every global name the firmware reads is an
    // ordinary property lookup, not a trip through the sandbox's interceptors (~30x faster)
    // (Node >= 20.18 / 22.8; an older Node gets the contextified sandbox: same behaviour, slower)
    const vanilla = (vm as any).constants?.DONT_CONTEXTIFY;
    this.context = vm.createContext(vanilla ?? {}, { name: "espruino", codeGeneration: { strings: true, wasm: false } });
    const g = this.run("globalThis");
    this.global = g;
    this.Object = g.Object; this.Array = g.Array; this.Error = g.Error; this.TypeError = g.TypeError;
    this.Uint8Array = g.Uint8Array; this.ArrayBuffer = g.ArrayBuffer;
    // one context function per host function: the power gate, the call, the copy of an object
    // result into the context (primitives pass as they are), host errors rethrown as context
    // errors. Only h and an object result cross back to the host: calls stay cheap.
    this.gate = this.run("({ closed: null })");
    this.wrapFactory = this.run(`(function (h, fix, gate, out) {
      return function () {
        try {
          if (gate.closed !== null) throw gate.closed;
          var v = h.apply(this, arguments);
          return v === null || (typeof v !== "object" && typeof v !== "function") ? v : out(v);
        } catch (e) { throw fix(e); }
      };
    })`);
    this.trim();
  }

  run(code: string, filename = "sim-runtime.js"): any {
    return new vm.Script(code, { filename }).runInContext(this.context);
  }

  private trim(): void {
    const g = this.global;
    for (const name of ABSENT_GLOBALS) delete g[name];
    const resolve = (p: string) => p.split(".").reduce((o: any, k) => o && o[k], g);
    for (const [path, names] of ABSENT_MEMBERS) {
      const o = resolve(path);
      for (const n of names) if (!Reflect.deleteProperty(o, n)) this.kept.push(path + "." + n);
    }
    for (const t of TYPED) {
      for (const n of ["from", "of", "BYTES_PER_ELEMENT"]) if (!Reflect.deleteProperty(g[t], n)) this.kept.push(t + "." + n);
      if (!Reflect.deleteProperty(g[t].prototype, "BYTES_PER_ELEMENT")) this.kept.push(t + ".prototype.BYTES_PER_ELEMENT");
    }
    // the shared TypedArray constructor
    const ta = Object.getPrototypeOf(g.Uint8Array);
    for (const n of ["from", "of"]) delete ta[n];
    for (const n of ["race", "allSettled", "any"]) delete g.Promise[n];
    delete g.Promise.prototype.finally;
  }

  /** a context function that runs the host function; results copied in, errors rethrown */
  fn(h: HostFn): HostFn {
    const known = this.wrapped.get(h);
    if (known) return known;
    const w = this.wrapFactory(h, this.fixErrorFn, this.gate, this.toCtxFn);
    this.wrapped.set(h, w);
    this.wrappers.add(w);
    return w;
  }

  private readonly fixErrorFn = (e: unknown): unknown => this.fixError(e);
  /** from now on every host function throws `reason` in the context (the MCU lost power) */
  close(reason: Error): void { this.gate.closed = reason; }
  private readonly toCtxFn = (v: any): any => this.toCtx(v);

  /** A native function written in context JavaScript, for hot calls that need nothing from
   *  the host on their fast path (no context crossing). `factory` is the source of a function
   *  (gate, fix, ...deps) => fn; fn must start with `if (gate.closed !== null) throw fix(gate.closed);`
   *  to fail after a power cut like every host function. */
  contextNative(factory: string, ...deps: unknown[]): HostFn {
    const f = this.run(factory)(this.gate, this.fixErrorFn, ...deps);
    this.wrappers.add(f);
    return f;
  }

  /** is f a native (host-backed) function made by fn()? */
  isNative(f: unknown): boolean { return typeof f === "function" && this.wrappers.has(f); }

  /** a context object with these members (functions wrapped, values copied) */
  obj(members: Record<string, any> = {}, proto?: object | null): any {
    const o = proto === undefined ? new this.Object() : this.Object.create(proto);
    for (const k of Object.keys(members)) o[k] = this.toCtx(members[k]);
    return o;
  }

  /** a context object with non-enumerable methods, like Espruino natives */
  methods(target: any, members: Record<string, HostFn>): any {
    for (const k of Object.keys(members)) {
      Object.defineProperty(target, k, { value: this.fn(members[k]!), writable: true, configurable: true, enumerable: false });
    }
    return target;
  }

  err(message: string, kind: "Error" | "TypeError" | "ReferenceError" | "SyntaxError" | "InternalError" = "Error"): Error {
    const C = kind === "InternalError" ? this.global.Error : this.global[kind];
    return new C(message);
  }

  isCtx(v: unknown): boolean {
    return (typeof v === "object" || typeof v === "function") && v !== null && v instanceof this.Object;
  }

  /** copy a host value into the context (primitives pass through) */
  toCtx(v: any): any {
    if (v === null || (typeof v !== "object" && typeof v !== "function")) return v;
    if (this.isCtx(v)) return v;
    if (typeof v === "function") return this.fn(v);
    if (v instanceof Uint8Array) { const u = new this.Uint8Array(v.length); u.set(v); return u; }
    if (v instanceof ArrayBuffer) { const u = new this.Uint8Array(v.byteLength); u.set(new Uint8Array(v)); return u.buffer; }
    if (ArrayBuffer.isView(v)) {
      const C = this.global[v.constructor.name];
      return new C(this.toCtx(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength)));
    }
    if (Array.isArray(v)) { const a = new this.Array(); for (const x of v) a.push(this.toCtx(x)); return a; }
    if (v instanceof Error) return this.fixError(v);
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) throw new Error("sim runtime bug: host object leaked to firmware: " + proto?.constructor?.name);
    return this.obj(v);
  }

  /** host exception -> context Error with the same message */
  fixError(e: unknown): unknown {
    if (this.isCtx(e)) return e;
    if (e instanceof Error) {
      const kind = (e as any).espruinoKind ?? "Error";
      return this.err(e.message, kind);
    }
    return e === null || typeof e !== "object" ? e : this.err(String(e));
  }
}

/** an Error whose context counterpart is of the given Espruino class */
export function espruinoError(message: string, kind: "Error" | "TypeError" | "ReferenceError" | "InternalError" = "Error"): Error {
  const e = new Error(message);
  (e as any).espruinoKind = kind;
  return e;
}
