// The journal's on-device self-tests (firmware/journal/journal.selftest.ts), run in Node with
// an E.CRC32 shim (zlib's CRC-32 is the same function).
import { strict as assert } from "assert";
import * as zlib from "zlib";

const g = globalThis as any;
if (!g.E) g.E = {};
if (!g.E.CRC32) g.E.CRC32 = (d: Uint8Array) => zlib.crc32(d);

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { selfTests } = require("../../drivers/selftest/check");
require("../../firmware/journal/journal.selftest");

describe("journal self-tests (firmware/journal/journal.selftest.ts)", () => {
  const mine = selfTests.filter((t: { name: string }) => /^(journal|counter):/.test(t.name));
  it("are registered", () => assert.ok(mine.length >= 6));
  for (const t of mine) it(t.name, () => t.fn());
});
