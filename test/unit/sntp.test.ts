// SNTP (docs/time.md "SNTP"): the pure packet code (firmware/sntp.ts) against replies built from
// the RFC by the simulator's server code (sim/bus/sntp.ts ntpReply), and the client
// (firmware/clock-sntp.ts) over a scripted dgram socket: what sets the clock, what is refused
// and logged, the host staying the reference, and the socket closed on every way out.
import { strict as assert } from "assert";
import { ntpReply, ntpStamp } from "../../sim/bus/sntp";

type Sntp = typeof import("../../firmware/sntp");
type ClockSntp = typeof import("../../firmware/clock-sntp");
type ClockModule = typeof import("../../firmware/clock");

const E2020 = 1577836800;
/** Unix seconds of a UTC date */
const unix = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
const FLOOR = 189388800; // Clock.FLOOR: 2026-01-01, seconds since 2020
const NONCE = "\x11\x22\x33\x44\x55\x66\x77\x88";

/** fresh firmware modules (the clock's state is module-level) over a fake interpreter clock */
function fresh(): { s: Sntp; cs: ClockSntp; c: ClockModule; advance(sec: number): void; now(): number } {
  const g = globalThis as any;
  let now = 7.25;
  g.getTime = () => now;
  for (const m of ["../../firmware/clock", "../../firmware/sntp", "../../firmware/clock-sntp", "../../firmware/app/settings"]) delete require.cache[require.resolve(m)];
  return { s: require("../../firmware/sntp"), cs: require("../../firmware/clock-sntp"), c: require("../../firmware/clock"), advance: (x) => { now += x; }, now: () => now };
}

const bytes = (s: string) => Buffer.from(s, "latin1");
const str = (b: Buffer) => b.toString("latin1");

describe("SNTP packets (firmware/sntp.ts)", () => {
  after(() => { delete (globalThis as any).getTime; });

  it("the request: 48 bytes, LI 0 version 4 mode 3, zeros, the nonce as the transmit timestamp", () => {
    const { s } = fresh();
    const r = bytes(s.sntpRequest(NONCE));
    assert.equal(r.length, 48);
    assert.equal(r[0], 0x23);
    assert.ok(r.subarray(1, 40).every((x) => x === 0));
    assert.equal(str(r.subarray(40)), NONCE);
  });

  it("a good reply: the server's transmit time + half the round trip (less the server's hold) + the UTC offset", () => {
    const { s } = fresh();
    const req = s.sntpRequest(NONCE), at = unix(2026, 12, 4, 8, 0, 0) + 0.25;
    // sent at 100.0, received at 100.3 (getTime); the server held it 0.1 s: network 0.2 s, half 0.1
    const reply = str(ntpReply(bytes(req), at, { receive: at - 0.1, transmit: at }));
    const r = s.sntpTime(reply, req, 100, 100.3, 60, FLOOR);
    assert.ok(!("why" in r), JSON.stringify(r));
    const ok = r as { t: number; stratum: number; rtt: number };
    assert.ok(Math.abs(ok.t - (at + 0.1 + 3600 - E2020)) < 1e-6, "local (UTC+01:00) time at reception: " + ok.t);
    assert.equal(ok.stratum, 2);
    assert.ok(Math.abs(ok.rtt - 0.3) < 1e-9);
    // west of UTC, and a server that gives no receive time (no hold taken off)
    const w = s.sntpTime(str(ntpReply(bytes(req), at, { receive: null })), req, 10, 10.4, -300, FLOOR) as { t: number };
    assert.ok(Math.abs(w.t - (at + 0.2 - 18000 - E2020)) < 1e-6);
  });

  it("reads NTP era 1 (after 2036-02-07, when the seconds field wraps)", () => {
    const { s } = fresh();
    const req = s.sntpRequest(NONCE), at = unix(2040, 3, 1, 12);
    assert.ok(ntpStamp(at).readUInt32BE(0) < 2 ** 31, "the field wrapped");
    const r = s.sntpTime(str(ntpReply(bytes(req), at)), req, 0, 0, 0, FLOOR) as { t: number };
    assert.equal(r.t, at - E2020);
  });

  it("refuses what does not answer this request, and keeps waiting (final false)", () => {
    const { s } = fresh();
    const req = s.sntpRequest(NONCE), at = unix(2026, 12, 4, 8), q = bytes(req);
    const cases: [Buffer | string, RegExp][] = [
      [ntpReply(q, at, { length: 40 }), /^short reply \(40 bytes\)$/],
      [ntpReply(q, at, { mode: 3 }), /^not a server reply \(mode 3\)$/],
      [ntpReply(q, at, { mode: 5 }), /mode 5/],
      [ntpReply(q, at, { vn: 2 }), /^NTP version 2$/],
      [ntpReply(q, at, { origin: Buffer.from("\x11\x22\x33\x44\x55\x66\x77\x89", "latin1") }), /^origin timestamp is not the request's \(stale or spoofed\)$/],
      [ntpReply(q, at, { origin: Buffer.alloc(8) }), /origin/],
    ];
    for (const [reply, why] of cases) {
      const r = s.sntpTime(typeof reply === "string" ? reply : str(reply), req, 0, 0.1, 60, FLOOR);
      assert.ok("why" in r && why.test(r.why) && r.final === false, JSON.stringify(r) + " " + why);
    }
  });

  it("refuses a reply that answers but must not set a clock (final true): kiss-o'-death, stratum 16, leap 3, no transmit time", () => {
    const { s } = fresh();
    const req = s.sntpRequest(NONCE), at = unix(2026, 12, 4, 8), q = bytes(req);
    const cases: [Buffer, RegExp][] = [
      [ntpReply(q, at, { stratum: 0, refid: "RATE" }), /^kiss-o'-death \(stratum 0, code RATE\)$/],
      [ntpReply(q, at, { stratum: 0, refid: "DE\x01Y" }), /code DE\?Y/],
      [ntpReply(q, at, { stratum: 16 }), /^stratum 16 \(server not synchronised\)$/],
      [ntpReply(q, at, { li: 3 }), /^leap indicator 3 \(server not synchronised\)$/],
      [ntpReply(q, at, { transmit: null }), /^no transmit time$/],
    ];
    for (const [reply, why] of cases) {
      const r = s.sntpTime(str(reply), req, 0, 0.1, 60, FLOOR);
      assert.ok("why" in r && why.test(r.why) && r.final === true, JSON.stringify(r) + " " + why);
    }
    // LI 1 and 2 announce a leap second: the time is good
    assert.ok(!("why" in s.sntpTime(str(ntpReply(q, at, { li: 1 })), req, 0, 0.1, 60, FLOOR)));
    assert.ok(!("why" in s.sntpTime(str(ntpReply(q, at, { vn: 3, stratum: 15 })), req, 0, 0.1, 60, FLOOR)), "NTPv3 servers, stratum 15");
  });

  it("refuses a time before 2026, after 2099, or over 2 days before the journal's newest record", () => {
    const { s } = fresh();
    const req = s.sntpRequest(NONCE), q = bytes(req);
    const at = (u: number, low = FLOOR, offset = 0) => s.sntpTime(str(ntpReply(q, u)), req, 0, 0, offset, low);
    assert.deepEqual(at(unix(2000, 1, 1)), { why: "time 2000-01-01 00:00:00 is before 2026", final: true });
    assert.deepEqual(at(unix(2025, 12, 31, 23, 59, 59)), { why: "time 2025-12-31 23:59:59 is before 2026", final: true });
    assert.ok(!("why" in at(unix(2025, 12, 31, 23, 30), FLOOR, 60)), "UTC in 2025, local already 2026");
    assert.deepEqual(at(unix(2100, 1, 1)), { why: "time 2100-01-01 00:00:00 is after 2099", final: true });
    const newest = unix(2026, 12, 10, 12) - E2020;
    assert.deepEqual(at(unix(2026, 12, 8, 11), newest), { why: "time 2026-12-08 11:00:00 is 49 h before the journal's newest record", final: true });
    assert.ok(!("why" in at(unix(2026, 12, 8, 13), newest)), "within 2 days of the newest record");
  });
});

/** a dgram module whose sockets the test drives */
interface FakeSocket { sent: { msg: string; port: number; host: string }[]; closed: boolean; reply(b: Buffer | string, port?: number): void }
function fakeDgram() {
  const socks: FakeSocket[] = [];
  const dgram = {
    createSocket(type: string) {
      assert.equal(type, "udp4");
      const handlers: Record<string, (...a: any[]) => void> = {};
      const s = {
        sent: [] as FakeSocket["sent"], closed: false,
        on(ev: string, fn: (...a: any[]) => void) { handlers[ev] = fn; },
        send(msg: string, port: number, host: string) { assert.equal(typeof msg, "string", "Espruino sends strings"); s.sent.push({ msg, port, host }); },
        close() { s.closed = true; },
        reply(b: Buffer | string, port = 123) { const m = typeof b === "string" ? b : str(b); handlers.message!(m, { address: "192.0.2.1", port, size: m.length }); },
      };
      socks.push(s);
      return s;
    },
  };
  return { dgram, socks };
}

/** timers that the test fires */
function fakeTimers(getTime: () => number) {
  const pending = new Map<number, () => void>();
  let id = 0;
  return {
    pending,
    setTimeout: (fn: () => void, _ms: number) => { pending.set(++id, fn); return id; },
    clearTimeout: (i: number) => { pending.delete(i); },
    getTime,
    fire: () => { const all = [...pending.values()]; pending.clear(); for (const f of all) f(); },
  };
}

describe("SNTP client (firmware/clock-sntp.ts)", () => {
  after(() => { delete (globalThis as any).getTime; });
  const SERVER = { host: "pool.ntp.org", port: 123 };

  function client(o: { offset?: number; server?: { host: string; port: number } | undefined } = {}) {
    const k = fresh(), log: string[] = [], d = fakeDgram(), timers = fakeTimers(k.now);
    let n = 0, result: (string | null)[] = [];
    const run = () => k.cs.sntpSync({ server: "server" in o ? o.server : SERVER, offset: o.offset ?? 60, timers, randomByte: () => 0x10 + n++, log: (l) => log.push(l), dgram: d.dgram as any }, (why) => result.push(why));
    return { ...k, log, d, timers, run, result: () => result, sock: () => d.socks[d.socks.length - 1]! };
  }
  const reqOf = (x: { sock(): { sent: { msg: string }[] } }) => bytes(x.sock().sent[0]!.msg);

  it("sends one 48-byte client request with 8 random bytes, and sets the clock from a good reply (source SNTP)", () => {
    const x = client();
    x.run();
    assert.deepEqual(x.sock().sent.map((s) => [s.msg.length, s.port, s.host]), [[48, 123, "pool.ntp.org"]]);
    assert.equal(str(reqOf(x).subarray(40)), "\x10\x11\x12\x13\x14\x15\x16\x17", "the nonce is the request's transmit timestamp");
    x.advance(0.04);
    const at = unix(2026, 12, 4, 8, 0, 0);
    x.sock().reply(ntpReply(reqOf(x), at));
    assert.deepEqual(x.result(), [null]);
    assert.ok(x.sock().closed, "closed");
    assert.equal(x.timers.pending.size, 0, "the timeout is cleared");
    const i = x.c.clockInfo();
    assert.equal(i.source, 2);
    assert.equal(i.t, at + 3600 - E2020, "UTC + 60 min, with half the 40 ms round trip");
    assert.deepEqual(x.log, ["clock: set from SNTP", "clock: SNTP pool.ntp.org:123 stratum 2, round trip 40 ms, UTC+01:00"]);
  });

  it("without a UTC offset nothing is sent and the clock is not set; without a server nothing at all", () => {
    const x = client({ offset: 9999 });
    x.run();
    assert.equal(x.d.socks.length, 0);
    assert.deepEqual(x.result(), ["no UTC offset set"]);
    assert.deepEqual(x.log, ['clock: SNTP not used: no UTC offset set (posConfig("utcOffset", minutes) or MENU 9)']);
    assert.equal(x.c.clockNow(), -1);
    const y = client({ server: undefined });
    y.run();
    assert.deepEqual([y.d.socks.length, y.result(), y.log], [0, ["no SNTP server on this board"], []]);
  });

  it("a trusted clock (the host set it) is not asked for", () => {
    const x = client();
    x.c.clockSync(unix(2026, 12, 4, 9) - E2020, 1, () => {});
    x.run();
    assert.deepEqual([x.d.socks.length, x.result()], [0, [null]]);
  });

  it("a spoofed or stale reply (origin, port) is logged and the real one still accepted", () => {
    const x = client(), at = unix(2026, 12, 4, 8);
    x.run();
    x.sock().reply(ntpReply(reqOf(x), at - 3600, { origin: Buffer.alloc(8, 1) }));
    x.sock().reply(ntpReply(reqOf(x), at - 3600), 4123);
    assert.equal(x.c.clockNow(), -1, "not set by either");
    assert.equal(x.sock().closed, false, "still waiting");
    x.sock().reply(ntpReply(reqOf(x), at));
    assert.equal(x.c.clockNow(), Math.floor(at + 3600 - E2020));
    assert.deepEqual(x.log.slice(0, 2), ["clock: SNTP reply refused: origin timestamp is not the request's (stale or spoofed)", "clock: SNTP reply refused: from port 4123, not 123"]);
  });

  it("a kiss-o'-death or an unsynchronised server ends the exchange without setting the clock", () => {
    for (const [f, why] of [[{ stratum: 0, refid: "RATE" }, "kiss-o'-death (stratum 0, code RATE)"], [{ li: 3 }, "leap indicator 3 (server not synchronised)"]] as const) {
      const x = client();
      x.run();
      x.sock().reply(ntpReply(reqOf(x), unix(2026, 12, 4, 8), f));
      assert.deepEqual(x.result(), ["reply refused: " + why]);
      assert.ok(x.sock().closed);
      assert.equal(x.timers.pending.size, 0);
      assert.equal(x.c.clockNow(), -1);
      assert.deepEqual(x.log, ["clock: SNTP reply refused: " + why]);
    }
  });

  it("no reply: the timeout closes the socket and says why; a reply after it changes nothing", () => {
    const x = client();
    x.run();
    x.timers.fire();
    assert.deepEqual(x.result(), ["no reply from pool.ntp.org:123 within 5 s"]);
    assert.deepEqual(x.log, ["clock: SNTP: no reply from pool.ntp.org:123 within 5 s"]);
    assert.ok(x.sock().closed);
    x.sock().reply(ntpReply(reqOf(x), unix(2026, 12, 4, 8)));
    assert.equal(x.c.clockNow(), -1, "late: not set");
    assert.equal(x.result().length, 1);
    // the last refusal is the reason when the wait ends after one
    const y = client();
    y.run();
    y.sock().reply(ntpReply(reqOf(y), unix(2026, 12, 4, 8), { mode: 3 }));
    y.timers.fire();
    assert.deepEqual(y.result(), ["reply refused: not a server reply (mode 3)"]);
  });

  it("the host wins: a host sync during the exchange keeps its time, and a host answer later replaces an SNTP time", () => {
    const x = client(), at = unix(2026, 12, 4, 8), host = at + 3600 - E2020 + 5;
    x.run();
    x.c.clockSync(host, 1, () => {});
    x.sock().reply(ntpReply(reqOf(x), at));
    assert.deepEqual(x.result(), [null]);
    assert.equal(x.c.clockInfo().source, 1);
    assert.equal(x.c.clockNow(), host);
    assert.ok(x.log.includes("clock: SNTP time not used: the host set the clock meanwhile"));
    // SNTP first, then a host answer an hour away: it wins, and the log points at the offset
    const y = client({ offset: 0 }), log: string[] = [];
    y.run();
    y.sock().reply(ntpReply(reqOf(y), at));
    assert.equal(y.c.clockInfo().source, 2);
    y.c.clockSync(at + 3600 - E2020, 1, (l) => log.push(l));
    assert.deepEqual(log, ["clock: corrected by 3600 s (host): check the UTC offset (utcOffset)"]);
    assert.equal(y.c.clockInfo().source, 1);
  });

  it("the clock runs its resync once when a sync's trust runs out (clockSync's resync, clockInfo().resync)", () => {
    const k = fresh();
    const g = globalThis as any, saved = g.setTimeout, queued: (() => void)[] = [];
    g.setTimeout = (fn: () => void) => { queued.push(fn); return 1; };
    try {
      let asked = 0;
      const resync = () => { asked++; };
      k.c.clockSync(-1, 0, () => {}, resync);
      assert.equal(k.c.clockInfo().resync, resync);
      k.c.clockSync(unix(2026, 12, 4, 9) - E2020, 2, () => {});
      k.advance(86400 - 1);
      assert.ok(k.c.clockNow() >= 0);
      assert.equal(queued.length, 0);
      k.advance(2);
      assert.equal(k.c.clockNow(), -1);
      assert.equal(k.c.clockNow(), -1);
      assert.equal(k.c.clockInfo().why, "last sync over 24 h ago");
      assert.equal(queued.length, 1, "once per expired sync, from a timer");
      queued.shift()!();
      assert.equal(asked, 1);
      k.c.clockSync(unix(2026, 12, 5, 9, 0, 2) - E2020, 2, () => {});
      k.advance(86401);
      k.c.clockNow();
      assert.equal(queued.length, 1, "again for the next sync");
    } finally { g.setTimeout = saved; }
  });
});

describe("the UTC offset setting (utcOffset, firmware/app/settings.ts)", () => {
  after(() => { delete (globalThis as any).getTime; });
  const REGION = { base: 0xe000, sectors: 2, sectorSize: 4096 };

  it("not set by default; whole minutes -720..840 only (posConfig's check), saved and read back", () => {
    fresh();
    const { SettingsStore, configure } = require("../../firmware/app/settings") as typeof import("../../firmware/app/settings");
    const { RamFlash, crc32 } = require("../support/fake-ports") as typeof import("../support/fake-ports");
    const flash = new RamFlash(0xe000, 8192);
    const s = new SettingsStore({ flash, region: REGION, crc32 }); s.load();
    assert.equal(s.values.utcOffset, 9999, "Utc.UNSET");
    for (const bad of [841, -721, 60.5, "60", null, NaN]) assert.match(configure(s, "utcOffset", bad)!, /^utcOffset: whole minutes east of UTC, -720\.\.840/, String(bad));
    assert.equal(s.values.utcOffset, 9999, "a refused value changes nothing");
    for (const good of [-720, 0, 330, 840, 60]) assert.equal(configure(s, "utcOffset", good), null);
    const t = new SettingsStore({ flash, region: REGION, crc32 }); t.load();
    assert.equal(t.values.utcOffset, 60);
  });

  it("a new offset moves a clock SNTP set by the difference; a host-set clock stays", () => {
    const k = fresh();
    const { SettingsStore, configure } = require("../../firmware/app/settings") as typeof import("../../firmware/app/settings");
    const { RamFlash, crc32 } = require("../support/fake-ports") as typeof import("../support/fake-ports");
    const s = new SettingsStore({ flash: new RamFlash(0xe000, 8192), region: REGION, crc32 }); s.load();
    assert.equal(configure(s, "utcOffset", 60), null);
    const t = unix(2026, 12, 4, 9) - E2020;
    k.c.clockSync(t, 2, () => {});
    assert.equal(configure(s, "utcOffset", 120), null);
    assert.equal(k.c.clockNow(), t + 3600, "UTC+02:00 now");
    assert.equal(k.c.clockInfo().source, 2);
    k.c.clockSync(t, 1, () => {});
    assert.equal(configure(s, "utcOffset", 0), null);
    assert.equal(k.c.clockNow(), t, "the host's local time does not depend on the offset");
  });
});
