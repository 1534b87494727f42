// Connects the health counters to the host side (docs/health.md): the link counts host
// timeouts and reversals sent and samples the lowest free JsVars after every exchange; an
// approved settlement is followed by the 0800 health message before its callback runs (the
// engine is free then, the host has just answered, and the terminal is not selling).
import { HostLink, LinkErr } from "../host/link";
import { Engine } from "../host/engine";
import { H, NMI_HEALTH, healthField } from "./record";
import { Health, journalWear } from "./store";

export function wireHealth(h: Health, link: HostLink, engine: Engine): void {
  var exchange = link.exchange;
  link.exchange = function (req, ms, cb) {
    exchange(req, ms, function (err, resp) {
      if (req.mti === "0400" && !(err && err.code === LinkErr.NOT_SENT)) h.note(H.REVERSALS);
      if (err && err.code === LinkErr.SENT_NO_RESPONSE) h.note(H.HOST_TIMEOUTS);
      cb(err, resp);
      // once the exchange has unwound, its closures are cyclic garbage that reference counting
      // cannot free (measured on the twin: ~270 JsVars after the boot echo, kept until a GC):
      // collect it (process.memory() does) and sample the lowest free JsVars on live data
      setTimeout(function () { var free = process.memory().free; if (free < h.c[H.LOW_FREE]!) h.note(H.LOW_FREE, free); }, 50);
    });
  };
  h.send = function (cb) {
    var w = journalWear(h);
    engine.echo(function (err, r) {
      cb(err ? err.message : !r || !r.ok ? "host: " + (r && r.rc ? "RC " + r.rc : r ? r.outcome : "no answer") : null);
    }, { 48: healthField(h.c, h.st[2]! >>> 0, w[0]!, w[1]!), 70: NMI_HEALTH });
  };
  var settle = engine.settle;
  engine.settle = function (cb) {
    settle(function (err, res) {
      if (err || !res || !res.approved) { cb(err, res); return; }
      h.send!(function () { cb(err, res); });
    });
  };
}
