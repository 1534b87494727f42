// Framing: 2-byte length + TPDU. The de-framer must give the same frames for every way the
// byte stream can be cut into chunks (Espruino's socket 'data' has no boundaries).
import { strict as assert } from "assert";
import { createDeframer, frame, locateMessage, tpdu } from "../../firmware/host/frame";
import { fromHex, toHex, bytesToStr } from "../../firmware/host/hex";

const A = fromHex("0800202001000080000099000000000101235445524D30303031")!;
const B = fromHex("08102020010002800000990000000001012330305445524D30303031")!;

function collect() {
  const frames: string[] = [], errors: string[] = [];
  const d = createDeframer((t, m) => frames.push(toHex(t) + "|" + toHex(m)), (c) => errors.push(c));
  return { d, frames, errors };
}

describe("iso8583 framing", () => {
  it("frames as length + TPDU 60 NII 0000 + message", () => {
    assert.equal(toHex(tpdu("123")), "6001230000");
    const f = frame(A, "123");
    assert.equal(toHex(f.subarray(0, 7)), "001F" + "6001230000");
    assert.equal(f.length, 2 + 31);
  });

  const stream = new Uint8Array([...frame(A, "123"), ...frame(B, "007")]);
  const expected = ["6001230000|" + toHex(A), "6000070000|" + toHex(B)];

  it("de-frames the stream whole and byte by byte", () => {
    let c = collect(); c.d.push(stream); assert.deepEqual(c.frames, expected);
    c = collect(); for (const b of stream) c.d.push(new Uint8Array([b])); assert.deepEqual(c.frames, expected);
  });

  it("gives the same frames for every cut into 2 and 3 chunks (typed arrays and strings)", () => {
    let cases = 0;
    for (let i = 0; i <= stream.length; i++) {
      for (let j = i; j <= stream.length; j++) {
        const c = collect();
        const parts = [stream.subarray(0, i), stream.subarray(i, j), stream.subarray(j)];
        parts.forEach((p, k) => c.d.push((i + j + k) % 2 ? bytesToStr(p) : p));
        assert.deepEqual(c.frames, expected, `cut at ${i},${j}`);
        assert.equal(c.errors.length, 0);
        assert.equal(c.d.pending(), 0);
        cases++;
      }
    }
    assert.ok(cases > 2000);
  });

  it("reports pending bytes of an incomplete frame", () => {
    const c = collect();
    c.d.push(stream.subarray(0, 10));
    assert.equal(c.d.pending(), 10);
    assert.equal(c.frames.length, 0);
  });

  it("rejects impossible lengths once, then ignores input until reset", () => {
    for (const bad of ["0004", "0000", "0801"]) {
      const c = collect();
      c.d.push(fromHex(bad + "600000000000")!);
      c.d.push(stream);
      assert.deepEqual(c.errors, ["FRAME_LENGTH"], bad);
      assert.equal(c.frames.length, 0);
      c.d.reset();
      c.d.push(stream);
      assert.deepEqual(c.frames, expected);
    }
  });

  it("locates the message with or without length and TPDU", () => {
    const f = frame(A, "123");
    assert.equal(locateMessage(f), 7);
    assert.equal(locateMessage(f.subarray(2)), 5);
    assert.equal(locateMessage(A), 0);
    const lenOnly = new Uint8Array([0, A.length, ...A]);
    assert.equal(locateMessage(lenOnly), 2);
  });
});
