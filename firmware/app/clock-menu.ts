// MENU 0 SERVICE -> 5 CLOCK: the time, where it came from and how old the sync is, and
// "sync now" (an echo: its answer carries the host's DE 12/13, firmware/clock.ts). Viewing
// and syncing change no money and no setting, so no PIN. Everything is built here when the
// entry is opened (nothing of it stays in RAM at idle).
import { App, State, screen, busy, message } from "./flow";
import { clockInfo, ClockSource, Clock } from "../clock";
import { dateTime, wrap } from "../receipt/format";
import { LINE_CHARS } from "../ui/text";

export function clockMenu(app: App, back: () => void): State {
  var c = clockInfo();
  var age = function (s: number): string {
    return s < 120 ? s + " s ago" : s < 7200 ? Math.floor(s / 60) + " min ago" : Math.floor(s / 3600) + " h ago";
  };
  var lines: string[];
  if (c.t >= 0) {
    var dt = dateTime(Clock.EPOCH_2020 + c.t);
    lines = [dt[0] + " " + dt[1], (c.source === ClockSource.Sntp ? "SNTP, " : "Host, ") + age(c.age)];
  } else {
    lines = ["NOT SET:"].concat(wrap(c.why, LINE_CHARS - 1));
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
        if (err || rc !== "00") { app.go(message(app, "SYNC FAILED", [err ? err.message : "RC " + rc], 10, again)); return; }
        again();
      });
    },
    expire: back,
  };
}
