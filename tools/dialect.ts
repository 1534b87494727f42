// What Espruino (2v29, ESP32 build) lacks, from ../shared/espruino.md section 1.2 and the
// probes in ../shared/espruino-probes.json. Entries marked "assumed" were not probed: they
// belong to the same ES2015+ families and are absent from the interpreter's sources.

/** Globals that do not exist on Espruino (or are Node-only). */
export const MISSING_GLOBALS: { [name: string]: string } = {
  Map: "Map does not exist on Espruino: use a plain object with string keys, or parallel arrays",
  Set: "Set does not exist on Espruino: use a plain object as a set, or an array with indexOf",
  WeakMap: "WeakMap does not exist on Espruino",
  WeakSet: "WeakSet does not exist on Espruino (assumed)",
  WeakRef: "WeakRef does not exist on Espruino (assumed)",
  Symbol: "Symbol does not exist on Espruino",
  Proxy: "Proxy does not exist on Espruino",
  Reflect: "Reflect does not exist on Espruino",
  BigInt: "BigInt does not exist on Espruino",
  RangeError: "RangeError does not exist on Espruino (only Error, TypeError, ReferenceError, SyntaxError, InternalError)",
  EvalError: "EvalError does not exist on Espruino",
  URIError: "URIError does not exist on Espruino",
  AggregateError: "AggregateError does not exist on Espruino",
  TextEncoder: "TextEncoder does not exist on Espruino: strings are 8-bit; use E.toUint8Array",
  TextDecoder: "TextDecoder does not exist on Espruino: use E.toString",
  queueMicrotask: "queueMicrotask does not exist on Espruino: use setTimeout(fn, 0)",
  setImmediate: "setImmediate does not exist on Espruino: use setTimeout(fn, 0)",
  clearImmediate: "clearImmediate does not exist on Espruino",
  Intl: "Intl does not exist on Espruino: format by hand (firmware/util/money.ts)",
  structuredClone: "structuredClone does not exist on Espruino",
  Buffer: "Buffer is Node-only: use Uint8Array",
  module: "module is Node-only: the bundle is a plain script",
  exports: "exports is Node-only: the bundle is a plain script",
  __dirname: "__dirname is Node-only",
  __filename: "__filename is Node-only",
};

/** Static members that do not exist: object -> member -> why. */
export const MISSING_STATICS: { [obj: string]: { [member: string]: string } } = {
  Object: {
    freeze: "", seal: "", is: "", isFrozen: "", isSealed: "", preventExtensions: "(assumed)", getOwnPropertySymbols: "(no Symbol)",
    setPrototypeOf: "is ignored for constructors on Espruino (no static inheritance): use Object.create for objects",
  },
  Array: { from: "", of: "" },
  String: { fromCodePoint: "", raw: "" },
  Number: {
    isInteger: "", isFinite: "(the global isFinite exists)", isNaN: "(the global isNaN exists)", isSafeInteger: "(assumed)",
    parseFloat: "(the global parseFloat exists)", parseInt: "(the global parseInt exists)", EPSILON: "",
    MAX_SAFE_INTEGER: "", MIN_SAFE_INTEGER: "(assumed)",
  },
  Math: {
    trunc: "(use x < 0 ? Math.ceil(x) : Math.floor(x), or x | 0 for 32-bit values)", imul: "", log2: "", log10: "", hypot: "",
    cbrt: "", clz32: "", fround: "", expm1: "", sinh: "", cosh: "(assumed)", tanh: "(assumed)", asinh: "(assumed)",
    acosh: "(assumed)", atanh: "(assumed)", log1p: "(assumed)",
  },
  Promise: { race: "", allSettled: "", any: "" },
  Date: { UTC: "" },
  ArrayBuffer: { isView: "" },
};
const TYPED = ["Uint8Array", "Int8Array", "Uint8ClampedArray", "Uint16Array", "Int16Array", "Uint32Array", "Int32Array", "Float32Array", "Float64Array"];
for (const t of TYPED) MISSING_STATICS[t] = { from: "", of: "", BYTES_PER_ELEMENT: "" };

export const TYPED_ARRAYS = new Set(TYPED);

/** Built-ins whose X.prototype.m reads are undefined on Espruino (e.g. Array.prototype.slice). */
export const BUILTIN_CTORS = new Set(["Object", "Array", "String", "Number", "Boolean", "Function", "Date", "RegExp",
  "Error", "TypeError", "Promise", "ArrayBuffer", "DataView"].concat(TYPED));

/** Method/property names missing on every Espruino built-in that could be the receiver. */
export const MISSING_METHODS: { [name: string]: string } = {
  at: "Array/String .at() does not exist on Espruino: use a[a.length - 1]",
  flat: "Array .flat() does not exist on Espruino",
  flatMap: "Array .flatMap() does not exist on Espruino",
  findLast: "Array .findLast() does not exist on Espruino: loop backwards",
  findLastIndex: "Array .findLastIndex() does not exist on Espruino (assumed): loop backwards",
  copyWithin: "Array .copyWithin() does not exist on Espruino: use Uint8Array.set with subarray",
  reduceRight: "Array .reduceRight() does not exist on Espruino: loop backwards",
  codePointAt: "String .codePointAt() does not exist on Espruino: use charCodeAt (strings are 8-bit)",
  trimStart: "String .trimStart() does not exist on Espruino",
  trimEnd: "String .trimEnd() does not exist on Espruino",
  trimLeft: "String .trimLeft() does not exist on Espruino (assumed)",
  trimRight: "String .trimRight() does not exist on Espruino (assumed)",
  matchAll: "String .matchAll() does not exist on Espruino",
  normalize: "String .normalize() does not exist on Espruino",
  localeCompare: "String .localeCompare() does not exist on Espruino: compare with < and >",
  toPrecision: "Number .toPrecision() does not exist on Espruino",
  toLocaleString: ".toLocaleString() does not exist on Espruino: format by hand",
  toLocaleDateString: ".toLocaleDateString() does not exist on Espruino (assumed)",
  toLocaleTimeString: ".toLocaleTimeString() does not exist on Espruino (assumed)",
  finally: "Promise .finally() does not exist on Espruino: repeat the code in then and catch",
  __defineGetter__: "__defineGetter__ does not exist on Espruino: use Object.defineProperty",
  __defineSetter__: "__defineSetter__ does not exist on Espruino: use Object.defineProperty",
  __lookupGetter__: "__lookupGetter__ does not exist on Espruino",
  __lookupSetter__: "__lookupSetter__ does not exist on Espruino",
};

/** Missing only on arrays/typed arrays (strings and objects have their own): flagged where the
 *  receiver is visibly an array. */
export const MISSING_ARRAY_METHODS: { [name: string]: string } = {
  lastIndexOf: "Array .lastIndexOf() does not exist on Espruino: loop backwards",
  entries: "Array .entries() does not exist on Espruino: use an index loop",
  keys: "Array .keys() does not exist on Espruino: use an index loop",
  values: "Array .values() does not exist on Espruino: use an index loop",
};

/** Modules the ESP32 build has built in; everything else must be bundled. */
export const ESPRUINO_MODULES = new Set(["Flash", "Storage", "net", "Wifi", "crypto", "http", "tls", "dgram", "timer",
  "heatshrink", "ESP32", "fs", "neopixel", "TelnetServer"]);

/** process.* members that exist on Espruino. */
export const PROCESS_MEMBERS = new Set(["memory", "env", "version", "on"]);

export const ERROR_CLASSES = new Set(["Error", "TypeError", "ReferenceError", "SyntaxError", "InternalError"]);
