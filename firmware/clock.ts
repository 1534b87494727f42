// The terminal's clock and whether it can be trusted (docs/time.md). Its time is the
// acquirer's local time (DE 12/13 are local by definition), counted in seconds since
// 2020-01-01 00:00:00: the unit the journal stores per record. It is kept as an offset over
// the interpreter's clock, which is never set: getTime() stays the time since power-up, so the
// PIN lock-out and everything else timed by it cannot jump when the clock is synced.
//
// Trust: none from power-up (the simulator and, without evidence otherwise, the ESP32 start
// from a clock that is not the day's time); a sync from the host (DE 12/13 of an answer to a
// request that carried none) makes it trusted for Clock.TRUST_SECONDS. The year, which DE 13 does
// not carry, comes from a lower bound: the newest time in the journal, else Clock.FLOOR: the first
// such date from 30 days before it on.
// A second source, SNTP (firmware/clock-sntp.ts), sets it the same way while it is not trusted;
// the host stays the reference: any host answer that carries its clock sets it again.
// State is numbers only (idle RAM: docs/time.md), and the one function to run when a sync's
// trust runs out (main.ts: an SNTP query).
import { dateTime } from "./receipt/format";

// the interpreter's clock (also declared here for the Node-side type check of sim and tests)
declare function getTime(): number;

// The constants are a const enum: inlined by the compiler, no RAM at run time.
export const enum Clock {
  /** Unix seconds of 2020-01-01 00:00:00 (also in receipt/receipt.ts) */
  EPOCH_2020 = 1577836800,
  /** how long a sync is trusted: the ESP32's crystal-driven system timer drifts by tens of
   *  ppm (about 2 s a day), so a day keeps the error within a couple of seconds */
  TRUST_SECONDS = 86400,
  /** no time before this firmware's release can be right: 2026-01-01, seconds since 2020 */
  FLOOR = 189388800,
  /** a step larger than this at a sync is logged as a correction */
  STEP_LOG_SECONDS = 2,
  /** how far the host may be behind the lower bound and still be read in the bound's year */
  BEHIND_SECONDS = 2592000,
}

/** where the time came from (0: not set since power-up) */
export const enum ClockSource { None = 0, Host = 1, Sntp = 2 }

var source = 0;
/** getTime() at the last sync, and the clock's time minus getTime() */
var syncedAt = 0, offset = 0;
/** newest time known to have passed (journal, syncs): picks DE 13's year */
var lowerBound: number = Clock.FLOOR;
/** main.ts's SNTP query on a board with an SNTP server (clockSync's `resync`), else null: run
 *  once, from a timer, when the trust of the sync made at syncedAt runs out (expiredFor: the
 *  syncedAt it ran for), and by the CLOCK menu's "sync now" (clockInfo().resync) */
var onExpiry: Resync | null = null, expiredFor = -1;

/** asks for the time again (SNTP); cb(null) once the clock is trusted, else cb(why not) */
export type Resync = (cb?: (why: string | null) => void) => void;

/** seconds since 2020-01-01 (acquirer local time) when the clock can be trusted, else -1 */
export function clockNow(): number {
  if (!source) return -1;
  var g = getTime(), age = g - syncedAt;
  if (age >= 0 && age <= Clock.TRUST_SECONDS) return Math.floor(g + offset);
  if (onExpiry && expiredFor !== syncedAt) { expiredFor = syncedAt; setTimeout(onExpiry, 0); }
  return -1;
}

/** the clock for the menu and reports: time (-1 untrusted), source, age of the sync in
 *  seconds (-1 never), why it is not trusted ("" when it is), and the lower bound (the newest
 *  time known to have passed: SNTP's sanity check) */
export function clockInfo(): { t: number; source: number; age: number; why: string; low: number; resync: Resync | null } {
  var t = clockNow(), age = source ? Math.floor(getTime() - syncedAt) : -1;
  return {
    t: t, source: source, age: age, low: lowerBound, resync: onExpiry,
    why: t >= 0 ? "" : !source ? "no host sync since power-up" : age < 0 ? "clock went backwards" : "last sync over 24 h ago",
  };
}

/** Sets the clock to t (seconds since 2020) from `src`; src None only raises the lower
 *  bound (boot: the journal's newest time). Logs a step over Clock.STEP_LOG_SECONDS.
 *  resync (main.ts at boot, with t -1): the SNTP query to keep (see onExpiry). */
export function clockSync(t: number, src: number, log: (line: string) => void, resync?: Resync): void {
  if (resync) onExpiry = resync;
  if (!(t >= 0)) return;
  if (t > lowerBound) lowerBound = t;
  if (!src) return;
  var before = clockNow(), d = Math.round(t - before);
  // a host correcting an SNTP time by a quarter of an hour or more: the UTC offset is wrong
  if (before >= 0 && Math.abs(t - before) > Clock.STEP_LOG_SECONDS) log("clock: corrected by " + d + " s (" + (src === ClockSource.Sntp ? "SNTP" : "host") + ")" +
    (src === ClockSource.Host && source === ClockSource.Sntp && Math.abs(d) >= 900 ? ": check the UTC offset (utcOffset)" : ""));
  else if (before < 0) log("clock: set from " + (src === ClockSource.Sntp ? "SNTP" : "host"));
  syncedAt = getTime();
  offset = t - syncedAt;
  source = src;
}

/** DE 13 ("MMDD") + DE 12 ("hhmmss") -> seconds since 2020: the first such moment from 30
 *  days before the lower bound on, never before Clock.FLOOR (time goes forward from what the journal
 *  last saw);
 *  -1 with the reason logged when either is not a real date or time (never a wrong clock) */
export function parseHostTime(de13: string, de12: string, log: (line: string) => void): number {
  var bad = function (why: string): number { log("clock: host time refused: " + why + " (DE 13 '" + de13 + "', DE 12 '" + de12 + "')"); return -1; };
  var n = function (s: string, at: number): number {
    var a = s.charCodeAt(at) - 48, b = s.charCodeAt(at + 1) - 48;
    return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
  };
  /** days since 2020-01-01 of a civil date (H. Hinnant's days_from_civil) */
  var days = function (y: number, m: number, d: number): number {
    y -= m <= 2 ? 1 : 0;
    var era = Math.floor(y / 400), yoe = y - era * 400;
    var doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
    return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468 - 18262;
  };
  if (typeof de13 !== "string" || typeof de12 !== "string" || de13.length !== 4 || de12.length !== 6) return bad("not MMDD and hhmmss");
  var mo = n(de13, 0), d = n(de13, 2), h = n(de12, 0), mi = n(de12, 2), s = n(de12, 4);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return bad("no such date");
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return bad("no such time");
  var y0 = 2020 + Math.floor(lowerBound / 31556952), best = -1;
  for (var y = y0 - 1; y <= y0 + 1; y++) {
    var dd = days(y, mo, d);
    if (dd >= (mo === 12 ? days(y + 1, 1, 1) : days(y, mo + 1, 1))) continue; // 31 April; 29 February of 2027
    var t = dd * 86400 + h * 3600 + mi * 60 + s;
    if (best < 0 && t >= Math.max(Clock.FLOOR, lowerBound - Clock.BEHIND_SECONDS)) best = t; // the first such day from the bound on
  }
  if (best < 0) return bad("no such date");
  if (best < lowerBound - 2 * 86400) log("clock: host time is " + Math.floor((lowerBound - best) / 3600) + " h before the journal's newest record");
  return best;
}

/** DE 13 "MMDD" and DE 12 "hhmmss" of a time (seconds since 2020); "" for an unknown one */
export function hostFields(t: number): { date: string; time: string } {
  if (!(t >= 0)) return { date: "", time: "" };
  var dt = dateTime(Clock.EPOCH_2020 + t); // ["YYYY-MM-DD", "hh:mm:ss"]
  return { date: dt[0]!.substr(5, 2) + dt[0]!.substr(8, 2), time: dt[1]!.substr(0, 2) + dt[1]!.substr(3, 2) + dt[1]!.substr(6, 2) };
}
