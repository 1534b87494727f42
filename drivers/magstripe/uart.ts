// UART magstripe reader: the reader decodes and sends ASCII tracks, e.g.
// "%B4111...^NAME^3012101...?;4111...=3012101...?\r". A swipe ends at CR/LF or after a quiet
// gap. Readers report a failed track as "%E?" / ";E?". Track 2 gives the fields; track 1
// adds the name (and stands in when track 2 is missing).
import { Io, UartPort } from "../hal";
import { CardFields, emptyFields, parseTrack1, parseTrack2 } from "./fields";
import { TrackReason } from "./track";
import { Swipe, SwipeCallback } from "./ttl";

var MAX_LINE = 200;
var QUIET_MS = 150;

export class MagstripeUart {
  private uart: UartPort; private io: Io;
  private line = ""; private cb: SwipeCallback | null = null; private timer: number | undefined;
  private overlong = false;

  constructor(o: { uart: UartPort; io: Io }) { this.uart = o.uart; this.io = o.io; }

  start(cb: SwipeCallback): void {
    var self = this;
    this.cb = cb;
    this.uart.removeAllListeners("data");
    this.uart.on("data", function (s) { self.data(s); });
  }

  stop(): void {
    this.uart.removeAllListeners("data");
    this.cb = null;
    this.line = "";
    if (this.timer !== undefined) { this.io.clearTimeout(this.timer); this.timer = undefined; }
  }

  private data(s: string): void {
    var self = this;
    for (var i = 0; i < s.length; i++) {
      var c = s.charAt(i);
      if (c === "\r" || c === "\n") { this.flush(); continue; }
      if (this.line.length >= MAX_LINE) { this.overlong = true; continue; }
      this.line += c;
    }
    if (this.timer !== undefined) this.io.clearTimeout(this.timer);
    this.timer = this.line ? this.io.setTimeout(function () { self.timer = undefined; self.flush(); }, QUIET_MS) : undefined;
  }

  private flush(): void {
    var line = this.line, overlong = this.overlong;
    this.line = ""; this.overlong = false;
    if (!line || !this.cb) return;
    var cb = this.cb;
    if (overlong) { cb({ reason: "too_long" }); return; }
    var t1 = section(line, "%"), t2 = section(line, ";");
    var f = emptyFields();
    var r: TrackReason = "no_start";
    var text = "", track = 0;
    if (t2) { r = t2 === ";E?" ? "parity" : parseTrack2(t2, f); text = t2; track = 2; }
    if (t1 && t1 !== "%E?") {
      var f1 = emptyFields();
      var r1 = parseTrack1(t1, f1);
      if (r === "ok" && r1 === "ok" && f1.pan === f.pan) f.name = f1.name;
      else if (r !== "ok" && r1 === "ok") { f = f1; r = r1; text = t1; track = 1; }
      else if (!t2) r = r1;
    } else if (t1 && !t2) r = "parity";
    if (r !== "ok") { cb({ reason: r }); return; }
    var sw: Swipe = { track: track, text: text, fields: f as CardFields, reversed: false };
    cb(null, sw);
  }
}

/** "%...?" or ";...?" from a line, "" if absent */
function section(line: string, ss: string): string {
  var a = line.indexOf(ss);
  if (a < 0) return "";
  var b = line.indexOf("?", a + 1);
  return b < 0 ? "" : line.substr(a, b - a + 1);
}
