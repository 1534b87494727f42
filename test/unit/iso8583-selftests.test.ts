// The host link's on-device self-tests, run in Node too.
import { strict as assert } from "assert";
import { selfTests } from "../../drivers/selftest/check";
import "../../firmware/host/host.selftest";

describe("host self-tests (firmware/host/host.selftest.ts)", () => {
  const mine = selfTests.filter((t) => /^(iso8583|frame|messages):/.test(t.name));
  it("are registered", () => assert.ok(mine.length >= 5));
  for (const t of mine) it(t.name, () => t.fn());
});
