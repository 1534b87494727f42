// MENU 0 SERVICE -> 4 UPDATE (after the PIN gate): pulls an image from the update server
// (settings host, port + UPDATE_PORT_OFFSET) with the protocol of ./protocol.ts, asks before
// installing, stages it (./stager.ts), resumes after a dropped link, and restarts into the new
// version on success. Everything is built when the technician opens it.
import { App, State, screen, message, confirm } from "../app/flow";
import { Offer, Frame, Wire } from "./protocol";
import { updateKit } from "./kit";
import { FORMAT } from "../journal/format";
import { AuditEvent } from "../audit/format";

/** the update server listens on the acquirer's host, this many ports above it */
export const enum UpdatePort { Offset = 1 }

export function startUpdate(app: App, back: () => void): void {
  var v = app.settings.values;
  var board = app.ports.board;
  if (!board) { app.go(message(app, "UPDATE", ["Not on this build"], 10, back)); return; }
  var log = app.ports.log;
  var kit = updateKit(require("Flash"), board().flashRegions.boot, v.updateKey);
  var proto = kit.proto, stager = kit.stager;
  var status = "Connecting...", sock: NetSocket | null = null, buf = "", offer: Offer | null = null;
  var retries = 0, over = false, shown = -1;
  var s: State = {
    name: "update", timeout: 0,
    screen: function () { return screen("UPDATE", ["v" + kit.version + " running", status], "CANCEL=stop"); },
    key: function (k) { if (k === "CANCEL") fail("cancelled"); },
  };
  var show = function (text: string): void { status = text; if (app.isCurrent(s)) app.render(); };
  var send = function (type: string, payload: string): void { if (sock) sock.write(proto.frame(type, payload)); };
  var close = function (): void { var k = sock; sock = null; if (k) k.end(); };
  var fail = function (why: string): void {
    if (over) return;
    over = true;
    send("B", "failed: " + why);
    close();
    log("update: " + why);
    var lines: string[] = [];
    for (var i = 0; i < why.length && lines.length < 4; i += 21) lines.push(why.substr(i, 21));
    app.go(message(app, "UPDATE FAILED", lines, 30, back));
  };
  var request = function (): void {
    var at = stager.next(), n = Math.min(Wire.MaxData, offer!.size - at);
    send("G", proto.u32(at) + String.fromCharCode(n >> 8, n & 255));
  };
  var install = function (): void {
    show("Checking image...");
    // the digest reads the whole image (a few seconds on the board): after the screen shows
    setTimeout(function () {
      var err = stager.finish();
      if (err) { fail(err); return; }
      over = true;
      send("B", "installed v" + offer!.version);
      log("update: v" + offer!.version + " staged and switched: restarting");
      if (app.ports.audit) app.ports.audit.append(AuditEvent.UpdateStaged, app.who, offer!.version, 0);
      show("Restarting...");
      setTimeout(function () { close(); E.reboot(); }, 1000);
    }, 50);
  };
  var onFrame = function (f: Frame): void {
    if (f.type === "E") { fail("server: " + f.payload); return; }
    if (f.type === "O") {
      var o = proto.decodeOffer(f.payload);
      if (!o) { fail("bad offer"); return; }
      var resume = offer !== null && stager.next() > 0;
      var err = stager.offer(o);
      if (err) { fail(err); return; }
      if (resume && o.digest === offer!.digest) { request(); return; }
      offer = o;
      app.go(confirm(app, "UPDATE", ["Install v" + o.version + "?", Math.ceil(o.size / 1024) + " KB, then restart"],
        function () { app.go(s); show("Receiving 0%"); request(); }, function () { fail("declined"); }));
      return;
    }
    if (f.type === "D" && offer) {
      var e2 = stager.chunk(proto.getU32(f.payload, 0), f.payload.substr(4));
      if (e2) { fail(e2); return; }
      var pct = Math.floor((stager.next() * 100) / offer.size);
      if (Math.floor(pct / 10) !== shown) { shown = Math.floor(pct / 10); show("Receiving " + pct + "%"); }
      if (stager.next() < offer.size) request(); else install();
      return;
    }
    fail("unexpected frame " + f.type);
  };
  var connect = function (): void {
    var net: NetModule;
    try { net = require("net"); } catch (e) { fail("no network module"); return; }
    buf = "";
    var me = net.connect({ host: v.host, port: v.port + UpdatePort.Offset }, function () {
      send("Q", v.tid + " " + kit.version + " " + FORMAT);
    });
    sock = me;
    me.on("data", function (d: string) {
      if (sock !== me) return;
      buf += d;
      for (;;) {
        var r = proto.parse(buf);
        if (!r) return;
        if ("error" in r) { fail("link: " + r.error); return; }
        buf = r.rest;
        onFrame(r.frame);
        if (over || sock !== me) return;
      }
    });
    me.on("error", function (e: any) { log("update: link error " + (e && e.message)); });
    me.on("close", function () {
      if (sock !== me || over) return;
      sock = null;
      // a dropped link resumes where the staged file ends (5 tries, 3 s apart)
      if (offer && retries < 5) { retries++; show("Link lost: retry " + retries); setTimeout(connect, 3000); return; }
      fail("link closed");
    });
  };
  app.go(s);
  connect();
}
