// The terminal's state machine. One state is current; it owns the screen, the keys and an
// inactivity timeout (any key restarts it; expiry goes back to idle unless the state says
// otherwise). Asynchronous completions check that their state is still current, so a
// CANCEL or a timeout can never be overtaken by a late callback.
import { Ports, Screen, Key } from "./ports";
import { SettingsStore } from "./settings";
import { PinLock } from "./pin";

export interface State {
  name: string;
  screen(): Screen;
  key?(k: Key): void;
  /** seconds of inactivity before expire() (default: back to idle); 0 = none */
  timeout: number;
  expire?(): void;
  enter?(): void;
  leave?(): void;
}

/** Builds the idle state; set by idle.ts so flow.ts has no import cycle. */
export type StateFactory = (app: App) => State;

export class App {
  ports: Ports;
  settings: SettingsStore;
  pinLock: PinLock;
  state: State | null = null;
  private timer = -1;
  private idleFactory: StateFactory;
  /** the last screen shown, for probes and tests */
  lastScreen: Screen = { title: "", lines: [], hint: "" };
  /** the role whose PIN opened the current function (firmware/app/pin.ts Role), for the audit
   *  trail; 0 (system) again at idle */
  who = 0;

  constructor(ports: Ports, settings: SettingsStore, idleFactory: StateFactory) {
    this.ports = ports;
    this.settings = settings;
    this.idleFactory = idleFactory;
    this.pinLock = new PinLock(Math.max(settings.values.pinFails, settings.values.cashierFails, settings.values.techFails), ports.timers.getTime());
    var self = this;
    ports.keypad.onKey(function (k) { self.onKey(k); });
  }

  go(s: State): void {
    var prev = this.state;
    this.stopTimer();
    this.state = s;
    if (prev && prev.leave) prev.leave();
    if (this.state !== s) return; // leave() moved on
    this.render();
    this.armTimer();
    if (s.enter) s.enter();
  }

  idle(): void { this.who = 0; this.go(this.idleFactory(this)); }

  /** redraw the current state's screen (after its data changed) */
  render(): void {
    if (!this.state) return;
    var s = this.state.screen();
    this.lastScreen = s;
    this.ports.display.show(s);
    this.ports.log("SCREEN " + s.title + " | " + s.lines.join(" | "));
  }

  onKey(k: Key): void {
    var s = this.state;
    if (!s) return;
    this.armTimer();
    if (s.key) s.key(k);
  }

  /** true while s is still the current state (for async completions) */
  isCurrent(s: State): boolean { return this.state === s; }

  private stopTimer(): void {
    if (this.timer >= 0) { this.ports.timers.clearTimeout(this.timer); this.timer = -1; }
  }

  private armTimer(): void {
    this.stopTimer();
    var cur = this.state;
    if (!cur || !cur.timeout) return;
    var s: State = cur;
    var self = this;
    this.timer = this.ports.timers.setTimeout(function () {
      self.timer = -1;
      if (self.state !== s) return;
      if (s.expire) s.expire(); else self.idle();
    }, s.timeout * 1000);
  }
}

export function screen(title: string, lines: string[], hint: string): Screen {
  return { title: title, lines: lines, hint: hint };
}

export function stars(n: number): string {
  var s = "";
  for (var i = 0; i < n; i++) s += "*";
  return s;
}

export function isDigitKey(k: Key): boolean {
  return k === "00" || (k.length === 1 && k >= "0" && k <= "9");
}

/** A message: any key or the timeout continues with next (default idle). */
export function message(app: App, title: string, lines: string[], seconds: number, next?: () => void): State {
  var done = function () { if (next) next(); else app.idle(); };
  return {
    name: "message", timeout: seconds,
    screen: function () { return screen(title, lines, "any key"); },
    key: function () { done(); },
    expire: done,
  };
}

/** Yes/no: ENTER runs yes, CANCEL (or timeout) runs no (default idle). */
export function confirm(app: App, title: string, lines: string[], yes: () => void, no?: () => void): State {
  var back = function () { if (no) no(); else app.idle(); };
  return {
    name: "confirm", timeout: 30,
    screen: function () { return screen(title, lines, "ENTER=yes CANCEL=no"); },
    key: function (k) { if (k === "ENTER") yes(); else if (k === "CANCEL") back(); },
    expire: back,
  };
}

/** A "please wait" state; the operation is started by the caller after go(). The host
 *  engine's progress lines ("CONNECTING", "WAITING"...) show under the message. */
export function busy(app: App, title: string, line: string): State {
  var progress = "";
  var s: State = { name: "busy", timeout: 0, screen: function () { return screen(title, progress ? [line, progress] : [line], "please wait"); } };
  app.ports.host.onStatus(function (text) {
    if (!app.isCurrent(s) || text === progress) return;
    progress = text;
    app.render();
  });
  return s;
}

export interface NumberEntryOptions {
  title: string;
  prompt: string;
  maxDigits: number;
  masked?: boolean;
  /** return an error text to stay in the state, or null */
  done: (digits: string) => string | null;
  cancel?: () => void;
}

/** Digit entry with CLEAR (backspace), CANCEL and ENTER. */
export function numberEntry(app: App, o: NumberEntryOptions): State {
  var digits = "";
  var error = "";
  var s: State = {
    name: "entry", timeout: 30,
    screen: function () {
      var shown = o.masked ? stars(digits.length) : digits;
      return screen(o.title, error ? [o.prompt, shown + "_", error] : [o.prompt, shown + "_"], "ENTER=ok CLEAR=del");
    },
    key: function (k) {
      if (k === "CANCEL") { if (o.cancel) o.cancel(); else app.idle(); return; }
      if (k === "CLEAR") { digits = digits.substr(0, digits.length > 0 ? digits.length - 1 : 0); error = ""; app.render(); return; }
      if (k === "ENTER") {
        if (!digits.length) return;
        var err = o.done(digits);
        if (err !== null && app.isCurrent(s)) { error = err; digits = ""; app.render(); }
        return;
      }
      if (isDigitKey(k) && digits.length + k.length <= o.maxDigits) { digits += k; error = ""; app.render(); }
    },
    expire: function () { if (o.cancel) o.cancel(); else app.idle(); },
  };
  return s;
}
