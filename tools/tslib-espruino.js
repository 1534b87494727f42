// The TypeScript helpers the firmware may use, hand-written for the Espruino interpreter.
// The build resolves "tslib" here instead of the npm package (see docs/toolchain.md):
// - no hoisting on Espruino: every variable is declared before the code that reads it;
// - Object.setPrototypeOf on a constructor is ignored: __extends copies statics by hand;
// - no Symbol, no Object.prototype.* reads ({}.hasOwnProperty is used instead).
// Helpers not exported here (array spread, async/await, generators, decorators, private
// fields, tagged templates) fail the build with a message naming the helper.

var hasOwn = {}.hasOwnProperty;

export function __extends(d, b) {
  if (typeof b !== "function" && b !== null) {
    throw new TypeError("Class extends value " + String(b) + " is not a constructor or null");
  }
  // Static members: Espruino does not inherit them through the constructor's prototype.
  for (var p in b) if (p !== "prototype" && hasOwn.call(b, p)) d[p] = b[p];
  function Proto() { this.constructor = d; }
  if (b === null) {
    d.prototype = Object.create(null);
  } else {
    Proto.prototype = b.prototype;
    d.prototype = new Proto();
  }
}

export function __assign(t) {
  for (var i = 1; i < arguments.length; i++) {
    var s = arguments[i];
    for (var p in s) if (hasOwn.call(s, p)) t[p] = s[p];
  }
  return t;
}

export function __rest(s, e) {
  var t = {};
  for (var p in s) if (hasOwn.call(s, p) && e.indexOf(p) < 0) t[p] = s[p];
  return t;
}
