// probe-sntp.js: one SNTP query with the firmware's own client (firmware/clock-sntp.ts) to the
// board file's SNTP server, with the settings' UTC offset (UTC itself when none is set: the
// probe only reads the time); prints the request, the reply's verdict, the time it read and the
// JsVars before, at the highest point sampled and after (the exchange must leave nothing
// behind: docs/time.md "SNTP"). sntpProbe("10.0.0.5", 123, 60) at the console asks another
// server with another offset (minutes). A clock set by one query stays set: later calls report
// it without asking (as the firmware does). Writes nothing.
import { bringUp } from "../board";
import { SettingsStore, Utc } from "../app/settings";
import { sntpSync } from "../clock-sntp";
import { clockInfo, Clock } from "../clock";
import { dateTime } from "../receipt/format";

var p = bringUp();
var settings = new SettingsStore({ flash: p.flash, region: p.board().flashRegions.settings, crc32: p.crc32 });
settings.load();

function sntpProbe(host: string, port: number, offset: number): void {
  var before = process.memory().usage, peak = before;
  var sample = function (): void { var u = process.memory(false).usage; if (u > peak) peak = u; };
  var timer = setInterval(sample, 10);
  p.log("sntp: asking " + host + ":" + port + ", UTC offset " + offset + " min, JsVars " + before);
  sntpSync({ server: { host: host, port: port }, offset: offset, timers: p.io, randomByte: p.randomByte, log: p.log }, function (why) {
    sample();
    clearInterval(timer);
    var c = clockInfo();
    p.log(why ? "sntp: FAILED: " + why : "sntp: clock " + dateTime(Clock.EPOCH_2020 + c.t).join(" ") + " (source " + c.source + ")");
    setTimeout(function () {
      p.log("sntp: JsVars before " + before + ", highest " + peak + " (+" + (peak - before) + "), after " + process.memory().usage);
    }, 500);
  });
}

global.sntpProbe = sntpProbe;
var srv = p.board().sntp, off = settings.values.utcOffset;
if (srv) sntpProbe(srv.host, srv.port, off === Utc.UNSET ? 0 : off);
else p.log("sntp: this board has no SNTP server (board file \"sntp\"): sntpProbe(host, port, offsetMinutes)");
