// probe-host.js: one echo (0800/990000, no MAC needed) to the acquirer over the board's host
// link, TLS (CA from Storage acq-ca.der) or plain TCP, with the settings' host, port, NII and
// TID; prints each step, the outcome and the JsVars before, at the highest point sampled and
// after (a TLS connection's mbedTLS buffers come from the JsVar store: docs/host-protocol.md
// §1.5). hostProbe("10.0.0.5", 5000) at the console tries another address. Writes nothing.
import { bringUp } from "../board";
import { SettingsStore } from "../app/settings";
import { createLink, LinkOptions } from "../host/link";
import { buildEcho } from "../host/messages";
import { zeroPad } from "../util/money";

var p = bringUp();
var settings = new SettingsStore({ flash: p.flash, region: p.board().flashRegions.settings, crc32: p.crc32 });
settings.load();
var tls = p.board().hostLink.transport === "tls";

function hostProbe(host: string, port: number): void {
  var v = settings.values;
  var o: LinkOptions = { net: p.net as NetModule, host: host, port: port, nii: zeroPad(v.nii, 3), io: p.io, log: p.log };
  if (tls) {
    o.net = null as any;
    try { o.net = require("tls"); } catch (e) { p.log("host: no tls module: " + e); }
    o.tlsCa = function () { return require("Storage").read("acq-ca.der"); };
  }
  var before = process.memory().usage, peak = before;
  var sample = function (): number { var u = process.memory(false).usage; if (u > peak) peak = u; return u; };
  var timer = setInterval(sample, 10);
  var link = createLink(o);
  link.onStatus(function (t) { p.log("host: " + t + ", JsVars " + sample()); });
  p.log("host: echo to " + host + ":" + port + (tls ? " over TLS" + (o.tlsCa!() ? "" : " (no acq-ca.der in Storage)") : " over plain TCP") + ", JsVars " + before);
  link.exchange(buildEcho(1, { tid: v.tid, mid: v.mid, nii: zeroPad(v.nii, 3) }), 30000, function (err, resp) {
    sample();
    clearInterval(timer);
    p.log(err ? "host: FAILED " + err.code + ": " + err.message : "host: echo answered, RC " + resp!.f[39]);
    setTimeout(function () {
      p.log("host: JsVars before " + before + ", highest " + peak + " (+" + (peak - before) + "), after " + process.memory().usage);
    }, 500);
  });
}

global.hostProbe = hostProbe;
hostProbe(settings.values.host, settings.values.port);
