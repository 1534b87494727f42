// E.CRC32 is zlib's CRC-32 (unsigned) of its argument flattened to bytes; byte arrays are
// checked in the context itself, everything else through the host, with the same result.
import { strict as assert } from "assert";
import * as zlib from "zlib";
import { boot, runJs } from "./helpers";

describe("E.CRC32", () => {
  it("matches zlib for byte arrays, views, strings and plain arrays", () => {
    const want = zlib.crc32("hello") >>> 0;
    assert.deepEqual(runJs(`console.log(E.CRC32(new Uint8Array([104, 101, 108, 108, 111])),
      E.CRC32(new Uint8Array([0, 104, 101, 108, 108, 111, 0]).subarray(1, 6)), E.CRC32("hello"),
      E.CRC32([104, 101, 108, 108, 111]), E.CRC32(new Uint8Array(0)))`), [`${want} ${want} ${want} ${want} 0`]);
    const bytes = Buffer.alloc(1000, 0).map((_, i) => (i * 7 + 3) & 0xff);
    assert.deepEqual(runJs(`var u = new Uint8Array(1000); for (var i = 0; i < 1000; i++) u[i] = (i * 7 + 3) & 255;
      console.log(E.CRC32(u), E.CRC32(u.buffer))`), [`${zlib.crc32(bytes) >>> 0} ${zlib.crc32(bytes) >>> 0}`]);
  });
  it("fails like every native function once the MCU lost power", () => {
    const w = boot(`var fn = E.CRC32, data = new Uint8Array([1, 2, 3]);`);
    w.run(0.1);
    w.powerCut();
    const r = w.mcu.realm.run(`(function () { try { fn(data); return "ran"; } catch (e) { return String(e); } })()`);
    assert.equal(r, "Error: power cut: the MCU is unpowered");
  });
});
