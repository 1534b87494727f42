// console.log formatting close to Espruino's: strings raw, numbers via String, objects in
// Espruino's spaced JSON style ({ "a": 1 }), typed arrays as `new Uint8Array([1, 2])`.
// Espruino prints numbers with about 11 significant digits; Node's full precision is kept
// (docs/simulator.md lists this difference).
function fmt(v: any, depth: number, quoteStrings: boolean): string {
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  if (typeof v === "string") return quoteStrings ? JSON.stringify(v) : v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v === "function") return "function () { [native code] }";
  const tag = Object.prototype.toString.call(v).slice(8, -1);
  if (ArrayBuffer.isView(v) && tag !== "DataView") {
    return `new ${tag}([${Array.prototype.join.call(v, ", ")}])`;
  }
  if (tag === "ArrayBuffer") return `new Uint8Array([${Array.prototype.join.call(new Uint8Array(v), ", ")}]).buffer`;
  if (tag === "Error" || (typeof v.message === "string" && typeof v.stack === "string")) {
    return String(v.constructor?.name || "Error") + ": " + v.message;
  }
  if (depth > 4) return "...";
  if (Array.isArray(v)) {
    if (v.length === 0) return "[ ]";
    return "[ " + v.map((x) => fmt(x, depth + 1, true)).join(", ") + " ]";
  }
  const keys = Object.keys(v);
  if (keys.length === 0) return "{ }";
  return "{ " + keys.map((k) => JSON.stringify(k) + ": " + fmt(v[k], depth + 1, true)).join(", ") + " }";
}

export function formatLog(args: any[], quoteStrings = false): string {
  return args.map((a) => fmt(a, 0, quoteStrings)).join(" ");
}
