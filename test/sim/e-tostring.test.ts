// E.toString as Espruino's jswrap_espruino_toString: every argument flattened to 8-bit
// characters (strings and arrays element by element, typed arrays by value, ArrayBuffers by
// byte, {data, count} repeated, anything else converted to one character), and an own method
// of E, so it never falls through to Object.prototype.toString.
import { strict as assert } from "assert";
import { runJs } from "./helpers";

/** the console line of `expr` as a JSON array of character codes */
function codes(expr: string): number[] {
  const out = runJs(`var s = ${expr}; var c = []; for (var i = 0; i < s.length; i++) c.push(s.charCodeAt(i));
    console.log(typeof s + " " + JSON.stringify(c));`);
  assert.equal(out.length, 1, out.join("\n"));
  const [type, json] = [out[0]!.slice(0, out[0]!.indexOf(" ")), out[0]!.slice(out[0]!.indexOf(" ") + 1)];
  assert.equal(type, "string", "E.toString returns a string");
  return JSON.parse(json);
}

describe("E.toString", () => {
  it("is E's own method", () => {
    assert.deepEqual(runJs(`console.log(E.hasOwnProperty("toString"), E.toString === Object.prototype.toString)`), ["true false"]);
  });
  it("turns bytes into an 8-bit string", () => {
    assert.deepEqual(codes("E.toString(new Uint8Array([104, 105, 0, 0x80, 0xff]))"), [104, 105, 0, 0x80, 0xff]);
    assert.deepEqual(codes("E.toString(new Uint8Array([97, 98, 99]).subarray(1))"), [98, 99]);
    assert.deepEqual(codes("E.toString(new Uint8Array([1, 2, 3]).buffer)"), [1, 2, 3]);
  });
  it("takes wider typed arrays, arrays and numbers by value, keeping the low byte", () => {
    assert.deepEqual(codes("E.toString(new Uint16Array([0x141, 0x42]))"), [0x41, 0x42]);
    assert.deepEqual(codes("E.toString([72, 105, 256 + 33, -191, 65.9])"), [72, 105, 33, 65, 65]);
    assert.deepEqual(codes("E.toString(65)"), [65]);
    assert.deepEqual(codes("E.toString(true)"), [1]);
  });
  it("keeps strings, concatenates every argument and nested array, repeats {data, count}", () => {
    assert.deepEqual(codes(`E.toString("abc")`), [97, 98, 99]);
    assert.deepEqual(codes(`E.toString("A", [66, [67, "D"]], new Uint8Array([69]), 70)`), [65, 66, 67, 68, 69, 70]);
    assert.deepEqual(codes(`E.toString({data: "xy", count: 2})`), [120, 121, 120, 121]);
    assert.deepEqual(codes(`E.toString()`), []);
  });
  it("round-trips with E.toUint8Array", () => {
    assert.deepEqual(runJs(`var u = new Uint8Array(256); for (var i = 0; i < 256; i++) u[i] = i;
      var back = E.toUint8Array(E.toString(u)); var same = back.length === 256;
      for (var j = 0; j < 256; j++) if (back[j] !== j) same = false; console.log(same)`), ["true"]);
  });
});
