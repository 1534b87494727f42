// MENU 0 SERVICE -> 5 CLOCK: the time, where it came from (host or SNTP) and how old the sync
// is, and "sync now": an echo (its answer carries the host's DE 12/13, firmware/clock.ts), then,
// on a board with an SNTP server, an SNTP query if the host's answer did not set the clock
// (the host is the reference: firmware/clock-sntp.ts). Viewing and syncing change no money and
// no setting, so no PIN. Everything is built here when the entry is opened (nothing of it
// stays in RAM at idle).
import { App, State, screen, busy, message } from "./flow";
import { clockInfo, clockNow, ClockSource, Clock } from "../clock";
import { Utc } from "./settings";
import { dateTime, wrap } from "../receipt/format";
import { LINE_CHARS } from "../ui/text";

export function clockMenu(app: App, back: () => void): State {
  var c = clockInfo();
  var sntp = c.resync; // the SNTP query main.ts gave the clock, on a board with an SNTP server
  var age = function (s: number): string {
    return s < 120 ? s + " s ago" : s < 7200 ? Math.floor(s / 60) + " min ago" : Math.floor(s / 3600) + " h ago";
  };
  var lines: string[];
  if (c.t >= 0) {
    var dt = dateTime(Clock.EPOCH_2020 + c.t);
    lines = [dt[0] + " " + dt[1], (c.source === ClockSource.Sntp ? "SNTP, " : "Host, ") + age(c.age)];
  } else {
    lines = ["NOT SET:"].concat(wrap(c.why, LINE_CHARS - 1));
    // SNTP gives UTC: without the offset it cannot tell the acquirer's local time
    if (sntp && app.settings.values.utcOffset === Utc.UNSET) lines.push("SNTP: no UTC offset");
  }
  var again = function () { app.go(clockMenu(app, back)); };
  return {
    name: "clock", timeout: 30,
    screen: function () { return screen("CLOCK", lines, "ENTER=sync now"); },
    key: function (k) {
      if (k === "CANCEL") { back(); return; }
      if (k !== "ENTER") return;
      app.go(busy(app, "CLOCK", "Syncing with host..."));
      app.ports.host.echo(function (err, rc) {
        var host = err ? err.message : rc !== "00" ? "RC " + rc : "";
        if (clockNow() >= 0 || !sntp) {
          if (host) app.go(message(app, "SYNC FAILED", [host], 10, again)); else again();
          return;
        }
        app.go(busy(app, "CLOCK", "Asking SNTP..."));
        sntp(function (why) {
          if (!why) { again(); return; }
          app.go(message(app, "SYNC FAILED", wrap("Host: " + (host || "no time"), LINE_CHARS - 1).concat(wrap("SNTP: " + why, LINE_CHARS - 1)).slice(0, 4), 10, again));
        });
      });
    },
    expire: back,
  };
}
