// The clock's second source: one SNTP query of our own over Espruino's dgram (one 48-byte UDP
// packet each way), for boards whose board file names an SNTP server (docs/time.md "SNTP").
// Not the Wifi module's setSNTP: ESP-IDF's SNTP steps the system clock under getTime(), which
// the PIN lock-out and the clock's own offset read.
// - SNTP gives UTC; the clock keeps the acquirer's local time: without a provisioned UTC offset
//   (settings utcOffset) the query is not even sent, and the clock is never set from it.
// - The host stays the reference: a query is made only while the clock is not trusted, its
//   answer is dropped if the host set the clock meanwhile, and any later host answer that
//   carries the host's clock sets it again (firmware/clock.ts).
// - A reply must answer this request (mode 4, our random origin timestamp) and be sane
//   (stratum 1..15, leap indicator not 3, a transmit time, a year from 2026 on and not before
//   the journal's newest record): firmware/sntp.ts. Refused replies are logged with the reason;
//   one that may be someone else's (spoofed, stale) does not end the wait for the real one.
// - Nothing stays in RAM: everything is built in sntpSync() when it runs, and the socket is
//   closed and dropped on every way out (reply, refusal, timeout), so the closures are garbage.
import { SntpServerSpec } from "../boards/types";
import { clockInfo, clockNow, clockSync, ClockSource } from "./clock";
import { sntpRequest, sntpTime } from "./sntp";
import { Utc } from "./app/settings";

export interface SntpOptions {
  /** the board's SNTP server (board file `sntp`); undefined: the board has none */
  server: SntpServerSpec | undefined;
  /** minutes east of UTC (settings utcOffset); Utc.UNSET: not provisioned */
  offset: number;
  timers: { setTimeout(fn: () => void, ms: number): number; clearTimeout(id: number): void; getTime(): number };
  randomByte: () => number;
  log: (line: string) => void;
  /** Espruino's dgram module; absent: require("dgram"); null: none */
  dgram?: DgramModule | null;
  /** how long to wait for a good reply (default 5000 ms) */
  timeoutMs?: number;
}

/** Asks the board's SNTP server for the time and sets the clock (ClockSource.Sntp) from a good
 *  reply, unless the clock is trusted by then. cb(null): the clock is trusted (set now, or it
 *  already was); cb(why): it was not set, and why (logged too, except "no SNTP server"). */
export function sntpSync(o: SntpOptions, cb?: (why: string | null) => void): void {
  // No closure is kept in a variable of this scope (a reference cycle, which would stay in RAM
  // after the exchange until a garbage collection): the socket's listener and the timer's
  // function are the only ones, and both are dropped when it ends.
  var srv = o.server;
  if (!srv) { if (cb) cb("no SNTP server on this board"); return; }
  // a UTC time printed as the acquirer's local time would be a wrong time
  if (o.offset === Utc.UNSET) { o.log("clock: SNTP not used: no UTC offset set (posConfig(\"utcOffset\", minutes) or MENU 9)"); if (cb) cb("no UTC offset set"); return; }
  if (clockNow() >= 0) { if (cb) cb(null); return; }
  var dg = o.dgram;
  if (dg === undefined) { try { dg = require("dgram") as any; } catch (e) { dg = null; } }
  if (!dg) { o.log("clock: SNTP: no dgram module"); if (cb) cb("no dgram module"); return; }
  var server = srv, where = server.host + ":" + server.port, ms = o.timeoutMs || 5000;
  var nonce = "";
  for (var i = 0; i < 8; i++) nonce += String.fromCharCode(o.randomByte() & 255);
  var req = sntpRequest(nonce), why = "", timer = 0, sentAt = 0;
  var sock: DgramSocket | null = dg.createSocket("udp4");
  sock.on("message", function (msg, rinfo) {
    if (!sock) return;
    var at = o.timers.getTime();
    var r = rinfo && rinfo.port !== server.port ? { why: "from port " + rinfo.port + ", not " + server.port, final: false }
      : sntpTime(msg, req, sentAt, at, o.offset, clockInfo().low);
    if ("why" in r) {
      o.log("clock: SNTP reply refused: " + r.why);
      why = "reply refused: " + r.why;
      if (!r.final) return;
    } else if (clockNow() >= 0) {
      o.log("clock: SNTP time not used: the host set the clock meanwhile");
      why = "";
    } else {
      clockSync(r.t, ClockSource.Sntp, o.log);
      var a = Math.abs(o.offset), h = Math.floor(a / 60), m = a % 60;
      o.log("clock: SNTP " + where + " stratum " + r.stratum + ", round trip " + Math.round(r.rtt * 1000) + " ms, UTC" + (o.offset < 0 ? "-" : "+") +
        (h < 10 ? "0" : "") + h + ":" + (m < 10 ? "0" : "") + m);
      why = "";
    }
    o.timers.clearTimeout(timer);
    // the end: one way out for reply, refusal and timeout (below)
    var s = sock; sock = null;
    try { s.close(); } catch (e) { /* already closed */ }
    if (cb) cb(why || null);
  });
  timer = o.timers.setTimeout(function () {
    if (!sock) return;
    if (!why) why = "no reply from " + where + " within " + ms / 1000 + " s";
    o.log("clock: SNTP: " + why);
    var s = sock; sock = null;
    try { s.close(); } catch (e) { /* already closed */ }
    if (cb) cb(why);
  }, ms);
  sock.on("error", function (e) { why = "socket error " + (e && e.message ? e.message : e); });
  sentAt = o.timers.getTime();
  sock.send(req, server.port, server.host);
}
