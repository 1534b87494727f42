// pos-sim track and pos-sim tlv: output and exit codes for good and bad input.
import { strict as assert } from "assert";
import { run as track } from "../../sim/commands/track";
import { run as tlv } from "../../sim/commands/tlv";
import { encodeTrack } from "../../drivers/magstripe/encode";

function capture(fn: () => number): { code: number; out: string; err: string } {
  const out: string[] = [], err: string[] = [];
  const log = console.log, error = console.error;
  console.log = (...a: unknown[]) => { out.push(a.join(" ")); };
  console.error = (...a: unknown[]) => { err.push(a.join(" ")); };
  try { return { code: fn(), out: out.join("\n"), err: err.join("\n") }; } finally { console.log = log; console.error = error; }
}

describe("pos-sim track", () => {
  it("decodes an ASCII track 2 with the PAN masked", () => {
    const r = capture(() => track([";4111111111111111=3012101000020000831?"]));
    assert.equal(r.code, 0);
    assert.match(r.out, /PAN: +\*\*\*\* \*\*\*\* \*\*\*\* 1111/);
    assert.match(r.out, /expiry: +2030-12/);
    assert.ok(!r.out.includes("4111111111111111"));
  });

  it("decodes a reversed bit string of track 1 (try 2, then 1) and unmasks on request", () => {
    const bits = [...encodeTrack("%B4242424242424242^DOE/JANE^2905201123400000000000?", 1, 15, 15)].reverse().join("");
    const r = capture(() => track(["--unmask", bits]));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /reverse swipe/);
    assert.match(r.out, /PAN: +4242424242424242/);
    assert.match(r.out, /name: +DOE\/JANE/);
  });

  it("gives clear errors and non-zero codes on bad input", () => {
    assert.match(capture(() => track([";4111111111111112=3012101?"])).err, /rejected: bad_pan/);
    assert.match(capture(() => track(["hello"])).err, /starts with % .* or ; .* ends with \?/);
    assert.match(capture(() => track(["0000011111"])).err, /cannot decode 10 bits/);
    assert.equal(capture(() => track([])).code, 2);
    assert.equal(capture(() => track(["--track", "3", "0101"])).code, 2);
    assert.match(capture(() => track(["--bits", ";41a1?"])).err, /not in track 2 set/);
  });
});

describe("pos-sim tlv", () => {
  it("prints a PPSE reply as a named tree", () => {
    const r = capture(() => tlv(["6F23840E325041592E5359532E4444463031A511BF0C0E610C4F07A0000000041010870101"]));
    assert.equal(r.code, 0);
    assert.deepEqual(r.out.split("\n"), [
      "6F (35) FCI template",
      "  84 (14) DF name: 325041592E5359532E4444463031 \"2PAY.SYS.DDF01\"",
      "  A5 (17) FCI proprietary template",
      "    BF0C (14) FCI issuer discretionary data",
      "      61 (12) application template",
      "        4F (7) AID: A0000000041010",
      "        87 (1) application priority: 01",
    ]);
  });

  it("masks PAN-bearing tags unless --unmask", () => {
    assert.match(capture(() => tlv(["5A084111111111111111"])).out, /5A \(8\) PAN: \*\*\*\*1111 \(masked\)/);
    assert.match(capture(() => tlv(["--unmask", "5A084111111111111111"])).out, /PAN: 4111111111111111$/);
    assert.match(capture(() => tlv(["57134761739001010010D30122011143804400000F"])).out, /\*\*\*\*0010 \(masked\)/);
  });

  it("rejects bad hex and malformed TLV with a message", () => {
    assert.match(capture(() => tlv(["5A0"])).err, /not hex/);
    assert.match(capture(() => tlv(["zz"])).err, /not hex/);
    assert.match(capture(() => tlv(["5A08411111"])).err, /malformed: length 8 past end/);
    assert.equal(capture(() => tlv([])).code, 2);
  });
});
