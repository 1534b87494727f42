// Power-cut campaign over a firmware update (docs/update.md): the power is cut at every flash
// and Storage operation from the technician's ENTER on the offer until the new version is
// confirmed (staging the image in Storage, the switch, the trial boot's attempt count, the READY
// confirmation), in throw-away worlds. After each cut the terminal must boot the old or the new
// version (never neither) with its journal and settings intact, and an update retried after a
// cut during staging must succeed.
// UPDATE_CUT_STRIDE=N cuts at every Nth operation only (quick local runs; CI runs every one).
import { strict as assert } from "assert";
import { SimTarget } from "../../sim/scenario/target-sim";
import { withVersion } from "../../sim/update/image";
import * as zlib from "zlib";
import { NorFlash, CutFault } from "../../sim/parts/nor-flash";
import { openJournal, Kind } from "../../firmware/journal/journal";
import { allRecords } from "../support/journal-records";
import { waitFor } from "../support/flows";
import { firmwareSource, serve, openUpdate, install, ready, bootState, storedSettings, text } from "../support/update";

const STRIDE = Math.max(1, Number(process.env.UPDATE_CUT_STRIDE) || 1);
const FLAVOURS: CutFault[] = [{ program: "torn", erase: "mixed" }, { program: "weak", erase: "weakff" }, { program: "clean", erase: "old" }];

describe("firmware update: power cut at every flash and Storage operation", function () {
  this.timeout(1800000);
  const v1 = firmwareSource();
  const v2 = withVersion(v1, 2);

  /** a terminal at the offer screen of v2, and its journal and settings as they were */
  function atOffer(): { t: SimTarget; journal: string; settings: object } {
    const t = new SimTarget();
    ready(t);
    serve(t, { image: v2 });
    const journal = journalOf(t);
    assert.match(openUpdate(t), /Install v2/);
    return { t, journal, settings: { ...storedSettings(t), pinFails: 0 } };
  }
  /** the journal's transaction records and numbers, read from a copy of the flash (a query
   *  seals the newest sector): every transaction record must survive unchanged (echoes, which
   *  carry no money, are left out) */
  function journalOf(t: SimTarget): string {
    const j = t.world.board.flashRegions.journal;
    const copy = new NorFlash({ ranges: [{ base: j.base, size: j.sectors * j.sectorSize }] });
    copy.load(j.base, t.world.flash.read(j.sectors * j.sectorSize, j.base));
    const journal = openJournal(copy, j, { crc32: (d) => zlib.crc32(d) >>> 0 });
    return JSON.stringify(allRecords(journal).filter((r) => r.kind !== Kind.Echo));
  }

  // the reference run: how many operations the whole update takes
  let ops = 0;
  before(() => {
    const { t } = atOffer();
    const ops0 = t.world.flash.ops;
    install(t);
    ready(t, 60);
    assert.ok(t.world.console.some((l) => l.includes("v2 confirmed")));
    ops = t.world.flash.ops - ops0;
    assert.ok(ops > 100, "an update takes " + ops + " operations");
  });

  it("boots the old or the new version after every cut, journal and settings intact", () => {
    const seen = { old: 0, new: 0, retried: 0 };
    for (let k = 0; k < ops; k += STRIDE) {
      const fault = FLAVOURS[k % FLAVOURS.length]!;
      const { t, journal, settings } = atOffer();
      t.world.flash.armCut(t.world.flash.ops + k, fault);
      t.press("ENTER");
      waitFor(t, 200, () => !t.world.powered);
      assert.ok(!t.world.powered, `cut ${k} did not fire`);
      t.world.flash.disarm();
      t.world.powerOn();
      // a trial version boots (or is rolled back after its attempts): READY either way
      assert.ok(waitFor(t, 800, () => text(t).includes("READY")), `cut ${k}: no READY: ${text(t)}\n${t.world.console.slice(-6).join("\n")}`);
      const s = bootState(t);
      assert.ok(s, `cut ${k}: boot control readable`);
      const running = s!.slots[s!.active]!.version;
      assert.ok(running === 1 || running === 2, `cut ${k}: runs v${running}`);
      assert.equal(t.world.storage.read(s!.active === 0 ? "fw.a" : "fw.b")!.length, running === 1 ? v1.length : v2.length);
      assert.equal(journalOf(t), journal, `cut ${k}: journal untouched`);
      assert.deepEqual({ ...storedSettings(t), pinFails: 0 }, settings, `cut ${k}: settings intact`);
      assert.deepEqual(t.world.errors.map((e) => e.message).filter((m) => !m.includes("power cut")), [], `cut ${k}: firmware exceptions`);
      if (running === 1) {
        seen.old++;
        // every 10th old-version outcome: the update, retried, goes through
        if (seen.old % 10 === 1) {
          assert.match(openUpdate(t), /Install v2/, `cut ${k}: retry offered`);
          install(t);
          ready(t, 60);
          assert.equal(bootState(t)!.slots[bootState(t)!.active]!.version, 2, `cut ${k}: retried update runs v2`);
          seen.retried++;
        }
      } else seen.new++;
    }
    console.log(`      ${ops} operations, cut every ${STRIDE}: old version ${seen.old}, new ${seen.new}, retried ${seen.retried}`);
    assert.ok(seen.old > 0 && seen.new > 0);
  });
});
