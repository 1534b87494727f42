// The card parsers' on-device self-tests (drivers/{magstripe,pn532,emv}/*.selftest.ts), run in Node too.
import { strict as assert } from "assert";
import { selfTests } from "../../drivers/selftest/check";
import "../../drivers/magstripe/track.selftest";
import "../../drivers/pn532/frame.selftest";
import "../../drivers/emv/tlv.selftest";
import "../../drivers/emv/apdu.selftest";

describe("card self-tests (track, pn532 frame, tlv, emv)", () => {
  const mine = selfTests.filter((t) => /^(track|pn532 frame|tlv|emv):/.test(t.name));
  it("are registered", () => assert.equal(mine.length, 8));
  for (const t of mine) it(t.name, () => t.fn());
});
