// The simulator's on-demand power-cut campaign (the UI's "c" key) on the built bundle: a cut
// at every flash operation of a sale, each followed by recovery, a new sale and a ledger check.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { createCampaign } from "../../sim/ui/campaign";

const BUNDLE = path.resolve(__dirname, "../../dist/pos-esp32-v1/firmware.js");

(fs.existsSync(BUNDLE) ? describe : describe.skip)("simulator power-cut campaign", function () {
  this.timeout(300000);
  it("cuts at every flash operation of a sale and always recovers without reuse or double charge", async () => {
    const progress: number[] = [];
    const r = await createCampaign({ board: "pos-esp32-v1" })((done, total, failures) => { progress.push(done); assert.ok(done <= total && failures <= done); });
    assert.ok(r.cases >= 10, `a sale should take several flash operations, got ${r.cases}`);
    assert.deepEqual(progress, Array.from({ length: r.cases }, (_v, i) => i + 1));
    assert.equal(r.failures, 0, r.detail.join("\n"));
  });
});
