// The clock service (firmware/clock.ts): trust state, host DE 12/13 parsing (bad values are
// refused with a log, never set), the year from the lower bound, the drift bound.
import { strict as assert } from "assert";

type ClockModule = typeof import("../../firmware/clock");

/** a fresh module (its state is module-level, as on the device) over a fake interpreter clock */
function fresh(): { c: ClockModule; log: string[]; advance(s: number): void; set(unix: number): void; sys(): number } {
  const g = globalThis as any;
  let now = 12.5; // seconds since power-up, as the interpreter starts (1970)
  g.getTime = () => now;
  g.setTime = (s: number) => { now = s; };
  const id = require.resolve("../../firmware/clock");
  delete require.cache[id];
  const c = require(id) as ClockModule;
  const log: string[] = [];
  return { c, log, advance: (s) => { now += s; }, set: (u) => { now = u; }, sys: () => now };
}

const DAY = 86400;
/** seconds since 2020 of a UTC date */
const at = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => Date.UTC(y, mo - 1, d, h, mi, s) / 1000 - 1577836800;

describe("clock: trust state", () => {
  after(() => { delete (globalThis as any).getTime; delete (globalThis as any).setTime; });

  it("is not trusted from power-up, says why, and prints no time", () => {
    const { c } = fresh();
    assert.equal(c.clockNow(), -1);
    assert.deepEqual(c.clockInfo(), { t: -1, source: 0, age: -1, why: "no host sync since power-up", low: 189388800, resync: null });
    assert.deepEqual(c.hostFields(c.clockNow()), { date: "", time: "" }, "no DE 12/13 while unknown");
  });

  it("a host sync sets the interpreter clock and is trusted for TRUST_SECONDS, then not", () => {
    const k = fresh(), { c, log } = k, t = at(2026, 12, 4, 9, 30, 0);
    c.clockSync(t, 1, (l) => log.push(l));
    assert.equal(k.sys(), 12.5, "the interpreter's clock is not set (PIN lock-out and timers run on it)");
    assert.equal(c.clockNow(), t);
    assert.deepEqual(log, ["clock: set from host"]);
    k.advance(3600.7);
    assert.equal(c.clockNow(), t + 3600);
    assert.deepEqual(c.hostFields(c.clockNow()), { date: "1204", time: "103000" });
    const i = c.clockInfo();
    assert.deepEqual([i.source, i.age, i.why], [1, 3600, ""]);
    k.advance(86400); // Clock.TRUST_SECONDS
    assert.equal(c.clockNow(), -1, "beyond the drift bound");
    assert.equal(c.clockInfo().why, "last sync over 24 h ago");
  });

  it("a clock that differs from the host by more than 2 s is corrected and logged; within 2 s silently", () => {
    const k = fresh(), { c, log } = k, t = at(2026, 6, 1, 12);
    c.clockSync(t, 1, (l) => log.push(l));
    k.advance(100);
    c.clockSync(t + 101, 1, (l) => log.push(l)); // 1 s off: no log
    k.advance(50);
    c.clockSync(t + 151 + 7, 1, (l) => log.push(l));
    assert.deepEqual(log, ["clock: set from host", "clock: corrected by 7 s (host)"]);
    assert.equal(c.clockNow(), t + 158);
  });

  it("an interpreter clock that went backwards behind the sync is not trusted", () => {
    const k = fresh(), { c } = k;
    c.clockSync(at(2026, 6, 1), 1, () => {});
    k.set(3);
    assert.equal(c.clockNow(), -1);
    assert.equal(c.clockInfo().why, "clock went backwards");
  });

  it("source None only raises the lower bound (boot: the journal's newest time)", () => {
    const { c } = fresh();
    c.clockSync(at(2027, 12, 30), 0, () => {});
    assert.equal(c.clockNow(), -1, "a journal time does not make the clock trusted");
    // the year of DE 13 now comes from late 2027: January is 2028
    assert.equal(c.parseHostTime("0102", "080000", () => {}), at(2028, 1, 2, 8));
  });
});

describe("clock: host DE 12/13", () => {
  it("parses MMDD + hhmmss to seconds since 2020: the first such moment from 30 days before the lower bound (FLOOR: 2026-01-01)", () => {
    const { c } = fresh();
    assert.equal(189388800 /* Clock.FLOOR */, at(2026, 1, 1));
    assert.equal(c.parseHostTime("1204", "093000", () => {}), at(2026, 12, 4, 9, 30));
    assert.equal(c.parseHostTime("0101", "000000", () => {}), at(2026, 1, 1));
    assert.equal(c.parseHostTime("1231", "235959", () => {}), at(2026, 12, 31, 23, 59, 59), "never before the floor");
    c.clockSync(at(2026, 8, 10), 0, () => {});
    assert.equal(c.parseHostTime("0720", "120000", () => {}), at(2026, 7, 20, 12), "within 30 days before the journal's newest: that year");
    assert.equal(c.parseHostTime("0701", "120000", () => {}), at(2027, 7, 1, 12), "more than 30 days before: the next year");
    c.clockSync(at(2027, 12, 31, 23, 0), 0, () => {});
    assert.equal(c.parseHostTime("0101", "001000", () => {}), at(2028, 1, 1, 0, 10), "over new year");
  });

  it("refuses what is not a date or a time, with a clear log, and never sets the clock", () => {
    const k = fresh(), { c } = k;
    const bad: [string, string, RegExp][] = [
      ["1304", "100000", /no such date/], ["0000", "100000", /no such date/], ["0132", "100000", /no such date/],
      ["0431", "100000", /no such date/], ["0229", "100000", /no such date/], // 2026 and 2027 are not leap years
      ["1204", "250000", /no such time/], ["1204", "126000", /no such time/], ["1204", "120060", /no such time/],
      ["12a4", "120000", /no such date/], ["1204", "12:00:", /no such time/], ["124", "120000", /not MMDD and hhmmss/],
      ["1204", "", /not MMDD and hhmmss/],
    ];
    for (const [de13, de12, why] of bad) {
      const log: string[] = [];
      assert.equal(c.parseHostTime(de13, de12, (l) => log.push(l)), -1, de13 + "/" + de12);
      assert.equal(log.length, 1);
      assert.match(log[0]!, /^clock: host time refused: /);
      assert.match(log[0]!, why);
      assert.ok(log[0]!.includes("'" + de13 + "'") && log[0]!.includes("'" + de12 + "'"), log[0]);
    }
    assert.equal(c.clockNow(), -1, "still not set");
    assert.equal(k.sys(), 12.5, "setTime never called");
  });

  it("accepts 29 February in a leap year", () => {
    const { c } = fresh();
    c.clockSync(at(2028, 2, 1), 0, () => {});
    assert.equal(c.parseHostTime("0229", "120000", () => {}), at(2028, 2, 29, 12));
  });

  it("logs a host time well before the journal's newest record (a clock that went backwards)", () => {
    const { c } = fresh();
    c.clockSync(at(2026, 8, 10), 0, () => {});
    const log: string[] = [];
    assert.equal(c.parseHostTime("0801", "000000", (l) => log.push(l)), at(2026, 8, 1));
    assert.deepEqual(log, ["clock: host time is 216 h before the journal's newest record"]);
  });
});
