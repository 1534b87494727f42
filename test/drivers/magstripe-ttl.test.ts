// MagstripeTtl driver against the virtual TTL reader over simulated pins and the event queue.
import { strict as assert } from "assert";
import { Testbed } from "../support/testbed";
import { MagstripeTtlPart } from "../../sim/parts/magstripe-ttl";
import { MagstripeTtl, Swipe } from "../../drivers/magstripe/ttl";
import fixtures from "../fixtures/cards/tracks.json";

function rig(track: number, seed = 7, callbackCost?: number) {
  const tb = new Testbed({ seed, callbackCost });
  const part = new MagstripeTtlPart("msr", { type: "magstripe-ttl", strobe: 34, data: 35, cardPresent: 39, tracks: [track] }, tb.partContext());
  const drv = new MagstripeTtl({ io: tb.io(), strobe: 34, data: 35, cardPresent: 39, track, errorFlags: tb.getErrorFlags });
  const got: { err: string | null; swipe?: Swipe }[] = [];
  drv.start((err, s) => got.push({ err: err ? err.reason : null, swipe: s }));
  return { tb, part, drv, got };
}

describe("magstripe TTL driver <-> virtual reader", () => {
  for (const c of fixtures.good) {
    it(`decodes track 2 of ${c.name} at 30 ips`, () => {
      const { tb, part, got } = rig(2);
      tb.run(part.swipe(c, { speed: 30 }) + 0.01);
      assert.equal(got.length, 1);
      assert.equal(got[0]!.err, null);
      assert.equal(got[0]!.swipe!.fields.pan, c.pan);
      assert.equal(got[0]!.swipe!.fields.expiry, c.expiry);
      assert.equal(got[0]!.swipe!.fields.serviceCode, c.serviceCode);
    });
  }

  it("decodes a reverse swipe and noise before the start sentinel", () => {
    const { tb, part, got } = rig(2);
    const c = fixtures.good[1]!;
    tb.run(part.swipe(c, { speed: 25, reverse: true }) + 0.01);
    tb.run(part.swipe(c, { speed: 25, noise: 3 }) + 0.01);
    assert.deepEqual(got.map((g) => g.err), [null, null]);
    assert.equal(got[0]!.swipe!.reversed, true);
    assert.equal(got[1]!.swipe!.fields.pan, c.pan);
  });

  it("rejects bit errors with a reason, never garbage", () => {
    const { tb, part, got } = rig(2, 3);
    for (let i = 0; i < 20; i++) tb.run(part.swipe(fixtures.good[0]!, { speed: 30, bitErrors: 0.02 }) + 0.01);
    assert.equal(got.length, 20);
    for (const g of got) {
      if (g.err === null) assert.equal(g.swipe!.fields.pan, fixtures.good[0]!.pan);
      else assert.ok(["parity", "lrc", "no_start", "no_end", "too_long", "bad_pan", "bad_expiry", "bad_service", "bad_format"].includes(g.err), g.err);
    }
    assert.ok(got.some((g) => g.err !== null));
  });

  it("track 1 at a fast swipe overflows the event queue and asks for a re-swipe", () => {
    const { tb, part, got } = rig(1, 5); // runtime's default 1 ms per callback
    tb.run(part.swipe(fixtures.good[0]!, { speed: 30, accel: 0 }) + 0.01);
    tb.runUntil(() => got.length > 0, 2);
    assert.equal(got.length, 1);
    assert.equal(got[0]!.err, "overflow");
    assert.ok(tb.stats.dropped > 0);
  });

  it("track 1 decodes when the queue keeps up (fast interpreter model, slow swipe)", () => {
    const { tb, part, got } = rig(1, 5, 150e-6);
    tb.run(part.swipe(fixtures.good[0]!, { speed: 10, accel: 0 }) + 0.01);
    assert.equal(got[0]!.err, null);
    assert.equal(got[0]!.swipe!.fields.name, "CARDUSER/JOHN");
  });

  it("track 2 fits the queue even when JS is busy for the whole swipe", () => {
    const { tb, part, got } = rig(2);
    tb.busyUntil = 0.5;
    tb.run(part.swipe(fixtures.good[0]!, { speed: 60 }));
    tb.runUntil(() => got.length > 0, 2);
    assert.equal(got[0]!.err, null);
    assert.equal(tb.stats.dropped, 0);
  });

  it("a full queue that also swallowed CARD PRESENT's edge still ends in a re-swipe request", () => {
    const { tb, part, got } = rig(1, 5);
    tb.busyUntil = 1; // JS busy: nothing drains during the swipe
    tb.run(part.swipe(fixtures.good[0]!, { speed: 30 }) + 0.1);
    tb.runUntil(() => got.length > 0, 3);
    assert.deepEqual(got.map((g) => g.err), ["overflow"]);
    tb.run(part.swipe(fixtures.good[0]!, { speed: 5, accel: 0 }) + 0.1);
    tb.runUntil(() => got.length > 1, 2);
    assert.deepEqual(got.map((g) => g.err), ["overflow", null], "next slow swipe is clean");
  });

  it("a few stray strobes are not reported as a swipe", () => {
    const { tb, got } = rig(2);
    for (let i = 0; i < 5; i++) {
      tb.clock.at(0.01 + i * 0.001, () => tb.pins.drive(34, "noise", 0));
      tb.clock.at(0.0105 + i * 0.001, () => tb.pins.drive(34, "noise", null));
    }
    tb.run(3);
    assert.equal(got.length, 0);
  });

  it("stop() removes the watches", () => {
    const { tb, part, drv, got } = rig(2);
    drv.stop();
    tb.run(part.swipe(fixtures.good[0]!, { speed: 30 }) + 0.01);
    assert.equal(got.length, 0);
  });
});
