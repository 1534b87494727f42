// MagstripeUart: ASCII tracks split into chunks at every point, CR/LF or quiet-gap ends,
// E tracks, track 1 only, overlong lines, stop().
import { strict as assert } from "assert";
import { Testbed } from "../support/testbed";
import { MagstripeUart } from "../../drivers/magstripe/uart";
import type { UartPort } from "../../drivers/hal";
import fixtures from "../fixtures/cards/tracks.json";

function rig() {
  const tb = new Testbed();
  let listener: ((s: string) => void) | null = null;
  const uart: UartPort = { write: () => {}, on: (_e, fn) => { listener = fn; }, removeAllListeners: () => { listener = null; } };
  const drv = new MagstripeUart({ uart, io: tb.io() });
  const got: { err: string | null; pan?: string; name?: string; track?: number }[] = [];
  drv.start((err, s) => got.push(err ? { err: err.reason } : { err: null, pan: s!.fields.pan, name: s!.fields.name, track: s!.track }));
  return { tb, drv, got, feed: (s: string) => listener && listener(s) };
}

describe("magstripe UART driver", () => {
  const c = fixtures.good[1]!;
  const line = c.track1 + c.track2 + "\r\n";

  it("decodes the same swipe however the UART chunks it", () => {
    for (let cut = 0; cut <= line.length; cut++) {
      const r = rig();
      r.feed(line.slice(0, cut));
      r.tb.run(0.01);
      r.feed(line.slice(cut));
      r.tb.run(0.5);
      assert.deepEqual(r.got, [{ err: null, pan: c.pan, name: c.holder, track: 2 }], "cut at " + cut);
    }
  });

  it("ends a swipe on a quiet gap when the reader sends no CR/LF", () => {
    const r = rig();
    r.feed(c.track2);
    r.tb.run(0.1);
    assert.equal(r.got.length, 0);
    r.tb.run(0.2);
    assert.deepEqual(r.got.map((g) => g.err), [null]);
  });

  it("reports E tracks, track 1 alone, bad data and overlong lines", () => {
    const r = rig();
    r.feed("%E?;E?\r");
    r.feed(c.track1 + "\r");
    r.feed(";E?\r");
    r.feed(fixtures.bad[0]!.track2 + "\r");
    r.feed("%B" + "1".repeat(300) + "\r");
    assert.deepEqual(r.got.map((g) => g.err ?? "ok:" + g.track), ["parity", "ok:1", "parity", "bad_pan", "too_long"]);
  });

  it("stop() ignores further data", () => {
    const r = rig();
    r.drv.stop();
    r.feed(line);
    r.tb.run(1);
    assert.equal(r.got.length, 0);
  });
});
