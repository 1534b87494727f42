// Bring-up probe for the magstripe reader. TTL: after each swipe prints the raw capture's
// structure and timing (bits, leading zeros, bit period min/avg/max, speed, FIFO_FULL) and the
// bits with the PAN digits masked (all but the last four), then reader statistics (reads,
// errors by reason). UART: the statistics. Lines start with "msr:". Test cards only; even
// so nothing is printed in clear that would identify a real card (last four only; the
// expiry is track data: only whether it decoded).
import { Io, UartPort } from "../../drivers/hal";
import { MagstripeTtl, Swipe } from "../../drivers/magstripe/ttl";
import { MagstripeUart } from "../../drivers/magstripe/uart";
import { TrackReason } from "../../drivers/magstripe/track";
import { ReaderStats } from "./types";
import { lastFour, maskedPan } from "../util/mask";

export interface MsrProbeOptions {
  io: Io;
  spec: any;
  uart?: (busId: string) => UartPort;
  errorFlags: () => string[];
  log: (line: string) => void;
}

function statsLine(s: ReaderStats): string {
  var e = "";
  for (var k in s.errors) e += (e ? ", " : "") + k + " " + s.errors[k];
  return "msr: reads " + s.swipes + " ok, errors " + (e || "none");
}

/** The capture's bits split at character boundaries, showing only the sentinels, separators,
 *  the PAN's last four and the LRC: every other character (PAN, expiry, discretionary data,
 *  which may hold the CVV) is x. */
export function maskedBits(bits: Uint8Array, count: number, track: number, sw: Swipe | undefined): string {
  var width = track === 1 ? 7 : 5;
  var start = 0;
  while (start < count && !bits[start]) start++;
  if (!sw || sw.reversed) return count + " bits (not shown: " + (sw ? "reverse swipe" : "no valid decode") + ")";
  var text = sw.text;
  var sep = text.indexOf(track === 1 ? "^" : "=");
  var out = start + " zeros |";
  var chars = 0;
  for (var p = start; p + width <= count && chars < text.length + 1; p += width, chars++) {
    var ch = text.charAt(chars);
    var shown = chars === 0 || chars >= text.length - 1 || ch === "^" || ch === "=" || (chars >= sep - 4 && chars < sep);
    var s = "";
    for (var i = 0; i < width; i++) s += shown ? String(bits[p + i]) : "x";
    out += " " + s;
  }
  return out + " | " + (count - start - chars * width) + " trailing";
}

export function runMsrProbe(o: MsrProbeOptions): { stats: ReaderStats; stop: () => void } | null {
  var log = o.log, spec = o.spec;
  var stats: ReaderStats = { swipes: 0, taps: 0, errors: {} };
  if (!spec) { log("msr: no magstripe reader on this board"); return null; }
  function count(err: { reason: TrackReason } | null): void {
    if (err) stats.errors[err.reason] = (stats.errors[err.reason] || 0) + 1; else stats.swipes++;
    log(statsLine(stats));
  }
  if (spec.type === "magstripe-uart") {
    if (!o.uart) { log("msr: no UART for " + spec.bus); return null; }
    var u = new MagstripeUart({ uart: o.uart(spec.bus), io: o.io });
    u.start(function (err, sw) {
      if (sw) log("msr: track " + sw.track + " " + maskedPan(lastFour(sw.fields.pan)) + " exp " + (sw.fields.expiry ? "ok" : "none") + " sc " + sw.fields.serviceCode);
      else log("msr: rejected: " + err!.reason);
      count(err);
    });
    log("msr: UART reader on " + spec.bus + ", swipe test cards");
    return { stats: stats, stop: function () { u.stop(); } };
  }
  var track = spec.tracks && spec.tracks[0] === 1 ? 1 : 2;
  var flags: string[] = [];
  var m = new MagstripeTtl({ io: o.io, strobe: spec.strobe, data: spec.data, cardPresent: spec.cardPresent, track: track,
    keepTimes: true, errorFlags: function () { var f = o.errorFlags(); flags = f; return f; } });
  log("msr: idle levels strobe " + o.io.digitalRead(spec.strobe) + " data " + o.io.digitalRead(spec.data) + " present " + o.io.digitalRead(spec.cardPresent) + " (expect 1 1 1)");
  m.start(function (err, sw) {
    var c = m.capture();
    var n = c.count;
    var t = c.times!;
    var minP = 1e9, maxP = 0;
    for (var i = 1; i < n && i < t.length; i++) {
      var d = t[i]! - t[i - 1]!;
      if (d < minP) minP = d;
      if (d > maxP) maxP = d;
    }
    var avg = n > 1 ? t[Math.min(n, t.length) - 1]! / (Math.min(n, t.length) - 1) : 0;
    var bpi = track === 1 ? 210 : 75;
    log("msr: swipe track " + track + ": " + n + " bits, period us min " + (n > 1 ? minP : 0) + " avg " + Math.round(avg) + " max " + maxP +
      ", about " + (avg > 0 ? Math.round(1e6 / avg / bpi) : 0) + " ips" + (flags.indexOf("FIFO_FULL") >= 0 ? ", FIFO_FULL" : ""));
    log("msr: bits " + maskedBits(c.bits, n, track, sw));
    if (sw) log("msr: ok " + maskedPan(lastFour(sw.fields.pan)) + " exp " + (sw.fields.expiry ? "ok" : "none") + " sc " + sw.fields.serviceCode + (sw.reversed ? " (reverse)" : ""));
    else log("msr: rejected: " + err!.reason + (err!.reason === "overflow" ? " (event queue full: swipe again, slower)" : ""));
    c.bits.fill(0);
    count(err);
  });
  log("msr: TTL reader, track " + track + ", swipe test cards");
  return { stats: stats, stop: function () { m.stop(); } };
}
