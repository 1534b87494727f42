// Keypad driver against the virtual contact matrix over simulated pins: the driver really
// scans (rows driven, columns read), the matrix really bounces and ghosts.
import { strict as assert } from "assert";
import { keypadRig, SPEC } from "../support/keypad-rig";
import { keyBit } from "../../drivers/keypad/keymap";

describe("keypad driver <-> virtual key matrix", () => {
  it("idles with rows low, columns pulled up, watches armed and no timer", () => {
    const r = keypadRig();
    for (const g of SPEC.rows) { assert.equal(r.tb.pins.mode(g), "output"); assert.equal(r.tb.pins.level(g), 0); }
    for (const g of SPEC.cols) { assert.equal(r.tb.pins.mode(g), "input_pullup"); assert.equal(r.tb.pins.level(g), 1); }
    r.tb.run(10);
    assert.equal(r.counter.timerCallbacks, 0);
    assert.equal(r.tb.clock.pending(), 0);
  });

  it("a bouncing tap gives exactly one event, about one debounce time after the press", () => {
    const r = keypadRig();
    const t0 = r.tb.clock.now();
    r.tb.run(r.part.tap("5", 0.1, { settle: 0.005, transitions: 6 }) + 0.1);
    assert.deepEqual(r.keys(), ["5"]);
    assert.equal(r.events[0]!.row, 1);
    assert.equal(r.events[0]!.col, 1);
    const latency = r.events[0]!.t - t0;
    assert.ok(latency >= 0.02 && latency < 0.05, `latency ${latency}`);
    assert.equal(r.tb.clock.pending(), 0, "back to idle: no timer left");
    assert.equal(r.drv.stats.wakes, 1);
  });

  it("every key of the board's map, tapped in turn, arrives once and in order", () => {
    const r = keypadRig();
    const all = SPEC.keys.flat();
    for (const k of all) r.tb.run(r.part.tap(k, 0.06) + 0.06);
    assert.deepEqual(r.keys(), all);
    assert.equal(r.part.stats.shorts, 0, "rows never fight");
  });

  it("200 seeded bouncy taps give 200 events", () => {
    const r = keypadRig({}, 99);
    const all = SPEC.keys.flat();
    const want: string[] = [];
    for (let i = 0; i < 200; i++) {
      const k = all[Math.floor(r.tb.random() * all.length)]!;
      want.push(k);
      r.tb.run(r.part.tap(k, 0.04 + r.tb.random() * 0.1, { settle: 0.008 }) + 0.05);
    }
    assert.deepEqual(r.keys(), want);
    assert.ok(r.part.stats.chatter > 400, "contacts really chattered");
  });

  it("holding ENTER gives one long press; holding CLEAR auto-repeats", () => {
    const r = keypadRig();
    r.tb.run(r.part.tap("ENTER", 1.5) + 0.1);
    assert.deepEqual(r.keys(), ["ENTER", "ENTER:long"]);
    r.events.splice(0);
    r.tb.run(r.part.tap("CLEAR", 1.2) + 0.1);
    const k = r.keys();
    assert.equal(k[0], "CLEAR");
    assert.ok(k.slice(1).every((s) => s === "CLEAR:repeat"));
    // first repeat after 0.5 s, then every 0.15 s while held: 0.5, 0.65 ... 1.1
    assert.equal(k.length - 1, 5, k.join(","));
    const gaps = r.events.slice(2).map((e, i) => e.t - r.events[i + 1]!.t);
    assert.ok(gaps.every((g) => Math.abs(g - 0.15) < 0.011), gaps.join(","));
  });

  it("two keys at once are both reported (rollover), in one column too", () => {
    const r = keypadRig();
    r.part.press("1"); r.tb.run(0.05);
    r.part.press("5"); r.tb.run(0.05);
    r.part.press("4"); r.tb.run(0.05); // same column as 1, same row as 5: a third corner
    r.part.releaseAll(); r.tb.run(0.1);
    assert.deepEqual(r.keys().slice(0, 2), ["1", "5"]);
    assert.equal(r.tb.clock.pending(), 0);
    const s = keypadRig();
    s.part.press("1"); s.tb.run(0.05);
    s.part.press("4"); s.tb.run(0.05);
    s.part.releaseAll(); s.tb.run(0.1);
    assert.deepEqual(s.keys(), ["1", "4"]);
    assert.equal(s.ghosts.length, 0);
  });

  it("three keys at rectangle corners show the ghost fourth: rejected, reported once", () => {
    const r = keypadRig();
    r.part.press("1"); r.tb.run(0.05);
    r.part.press("2"); r.tb.run(0.05);
    r.part.press("4"); r.tb.run(0.2);
    const raw = r.drv.scan();
    assert.ok(raw & (1 << keyBit(SPEC.keys, "5")), "the matrix itself shows the ghost key 5");
    assert.deepEqual(r.keys(), ["1", "2"]);
    assert.equal(r.ghosts.length, 1);
    r.part.release("1"); r.tb.run(0.05); // ghost gone: 2 and 4 are real, 4 is new
    assert.deepEqual(r.keys(), ["1", "2", "4"]);
    r.part.releaseAll(); r.tb.run(0.1);
    assert.equal(r.tb.clock.pending(), 0);
  });

  it("a key held at start is taken as stuck, not as a press; release returns to idle", () => {
    const r = keypadRig({}, 3, false);
    r.part.press("9", { settle: 0 });
    r.start();
    assert.equal(r.drv.stuck, 1 << keyBit(SPEC.keys, "9"));
    r.tb.run(0.5);
    assert.deepEqual(r.keys(), []);
    r.part.release("9"); r.tb.run(0.1);
    assert.equal(r.tb.clock.pending(), 0);
    r.tb.run(r.part.tap("9") + 0.05);
    assert.deepEqual(r.keys(), ["9"]);
  });

  it("stop() leaves no watch and no timer; start() again works", () => {
    const r = keypadRig();
    r.part.press("3"); r.tb.run(0.005);
    r.drv.stop(); r.drv.stop();
    r.tb.run(0.1);
    assert.equal(r.tb.clock.pending(), 0);
    r.part.release("3"); r.tb.run(0.05);
    assert.deepEqual(r.keys(), []);
    r.start();
    r.tb.run(r.part.tap("6") + 0.05);
    assert.deepEqual(r.keys(), ["6"]);
  });

  it("random overlapping pairs of bouncy keys: every press reported once, in order", () => {
    const r = keypadRig({}, 2024);
    const rnd = r.tb.random;
    const all = SPEC.keys.flat();
    const want: string[] = [];
    const pick = (not?: string) => { for (;;) { const k = all[Math.floor(rnd() * all.length)]!; if (k !== not) return k; } };
    for (let i = 0; i < 150; i++) {
      const a = pick();
      r.part.press(a, { settle: 0.006 }); want.push(a);
      r.tb.run(0.04 + rnd() * 0.06);
      let b: string | undefined;
      if (rnd() < 0.4) { b = pick(a); r.part.press(b, { settle: 0.006 }); want.push(b); r.tb.run(0.04 + rnd() * 0.06); }
      r.part.release(a, { settle: 0.006 });
      r.tb.run(0.04 + rnd() * 0.04);
      if (b) { r.part.release(b, { settle: 0.006 }); r.tb.run(0.05); }
    }
    r.tb.run(0.1);
    assert.deepEqual(r.keys(), want);
    assert.equal(r.ghosts.length, 0);
    assert.equal(r.tb.clock.pending(), 0);
  });

  it("the matrix also works with open-drain rows (released = not a source, even unpulled)", () => {
    const r = keypadRig({}, 1, false);
    for (const g of SPEC.rows) { r.tb.pins.setMode(g, "opendrain"); r.tb.pins.setOutput(g, 1); }
    r.part.press("5", { settle: 0 });
    assert.equal(r.tb.pins.level(SPEC.cols[1]!), 1, "all rows released");
    r.tb.pins.setOutput(SPEC.rows[1]!, 0);
    assert.equal(r.tb.pins.level(SPEC.cols[1]!), 0, "row 1 pulled low");
    r.tb.pins.setOutput(SPEC.rows[1]!, 1);
    r.tb.pins.setOutput(SPEC.rows[0]!, 0);
    assert.equal(r.tb.pins.level(SPEC.cols[1]!), 1, "another row pulled low");
  });

  it("push-pull rows joined through keys are reported as a short", () => {
    const r = keypadRig({}, 1, false);
    r.part.press("1", { settle: 0 }); r.part.press("4", { settle: 0 }); // one column, rows 0 and 1
    r.tb.pins.setMode(SPEC.rows[0]!, "output"); r.tb.pins.setOutput(SPEC.rows[0]!, 1);
    r.tb.pins.setMode(SPEC.rows[1]!, "output"); r.tb.pins.setOutput(SPEC.rows[1]!, 0);
    assert.ok(r.part.stats.shorts > 0);
    assert.ok(r.tb.log.some((l) => l.includes("shorted")));
  });

  it("a key that closes while the driver returns to idle (no edge for the watch) is not lost", () => {
    const r = keypadRig();
    r.tb.run(r.part.tap("2", 0.05, { settle: 0 }) + 0.001);
    // press "8" right at the last poll before idle: hook the driver's idle transition
    const d = r.drv as any;
    const goIdle = d.goIdle.bind(d);
    let armed = false;
    d.goIdle = () => { if (!armed) { armed = true; r.part.press("8", { settle: 0 }); } goIdle(); };
    r.tb.run(0.2);
    r.part.release("8", { settle: 0 }); r.tb.run(0.1);
    assert.deepEqual(r.keys(), ["2", "8"]);
    assert.equal(r.tb.clock.pending(), 0);
  });

  it("rejects a key map that does not match the pins", () => {
    assert.throws(() => keypadRig({ keys: [["1"]] }), /keys has 1 rows/);
  });
});
