// A short run of the card parsers' fuzzer (make fuzz runs 10^6).
import { strict as assert } from "assert";
import { fuzz } from "../fuzz/cards.fuzz";

describe("card parsers fuzz (short)", () => {
  it("20,000 seeded random and mutated inputs: no exception, no hang, invariants hold", () => {
    const r = fuzz(20000, 20261126);
    assert.equal(r.iterations, 20000);
    assert.ok(r.tracksOk > 0 && r.framesOk > 0 && r.tlvOk > 0, JSON.stringify(r));
  });
});
