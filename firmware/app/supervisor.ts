// The supervisor PIN gate: masked entry, salted hash check, failure count persisted before
// each comparison (the settings store's attempt tally) and lock-out (firmware/app/pin.ts).
// Used before void, refund, settlement, settings and the journal-fault recovery.
import { App, State, numberEntry, message } from "./flow";
import { hashPin, sameHash, validPinFormat, MAX_FAILS, PIN_MAX } from "./pin";
import { randomHex } from "./hmac";
import { AuditEvent, AuditRole } from "../audit/format";

export const DEFAULT_PIN = "1234";

/** First boot: a per-device salt, the default PIN's hash and the token key. */
export function provision(app: App): void {
  var v = app.settings.values;
  var changed = false;
  if (!v.pinSalt || !v.pinHash) {
    v.pinSalt = randomHex(app.ports.randomByte, 16);
    v.pinHash = hashPin(app.ports.sha256, v.pinSalt, DEFAULT_PIN);
    v.pinFails = 0;
    changed = true;
  }
  if (v.deviceKey.length < 32) { v.deviceKey = randomHex(app.ports.randomByte, 32); changed = true; }
  if (changed) {
    var err = app.settings.save();
    if (err) app.ports.log("settings: " + err);
  }
}

/** Asks for the PIN, then runs next(); CANCEL/timeout -> back (default idle). */
export function requirePin(app: App, purpose: string, next: () => void, back?: () => void): void {
  var now = app.ports.timers.getTime();
  var v = app.settings.values;
  var left = app.pinLock.remaining(v.pinFails, now);
  if (left > 0) { app.go(message(app, "PIN LOCKED", ["Too many wrong PINs", "Try again in " + left + "s"], 10, back)); return; }
  app.go(numberEntry(app, {
    title: "SUPERVISOR PIN", prompt: purpose, maxDigits: PIN_MAX, masked: true, cancel: back,
    done: function (pin) {
      // the attempt is counted in flash (and read back) BEFORE the PIN is compared, and
      // cleared only after a right one: a power cut at any point after ENTER either stops
      // before the comparison or leaves the attempt counted
      var err = app.settings.countAttempt();
      if (err) { app.ports.log("settings: " + err); return "Flash error: retry"; }
      var ok = validPinFormat(pin) && sameHash(hashPin(app.ports.sha256, v.pinSalt, pin), v.pinHash);
      if (ok) {
        err = app.settings.attemptOk();
        if (err) app.ports.log("settings: " + err);
        if (app.ports.audit) app.ports.audit.append(AuditEvent.AccessOk, AuditRole.Supervisor, 0, 0);
        next();
        return null;
      }
      app.pinLock.failed(v.pinFails, app.ports.timers.getTime());
      if (app.ports.audit) app.ports.audit.append(v.pinFails >= MAX_FAILS ? AuditEvent.AccessLockout : AuditEvent.AccessFailed, AuditRole.Supervisor, v.pinFails, 0);
      if (v.pinFails >= MAX_FAILS) {
        app.go(message(app, "PIN LOCKED", ["Too many wrong PINs", "Locked " + app.pinLock.remaining(v.pinFails, app.ports.timers.getTime()) + "s"], 10, back));
        return null;
      }
      return "Wrong PIN, " + (MAX_FAILS - v.pinFails) + " left";
    },
  }));
}

/** Settings: new PIN entered twice. */
export function changePin(app: App, then: () => void): State {
  return numberEntry(app, {
    title: "NEW PIN", prompt: "New PIN (4-8):", maxDigits: PIN_MAX, masked: true, cancel: then,
    done: function (first) {
      if (!validPinFormat(first)) return "4 to 8 digits";
      app.go(numberEntry(app, {
        title: "NEW PIN", prompt: "Repeat PIN:", maxDigits: PIN_MAX, masked: true, cancel: then,
        done: function (second) {
          if (second !== first) { app.go(message(app, "NEW PIN", ["PINs differ,", "not changed"], 10, then)); return null; }
          var v = app.settings.values;
          v.pinSalt = randomHex(app.ports.randomByte, 16);
          v.pinHash = hashPin(app.ports.sha256, v.pinSalt, first);
          v.pinFails = 0;
          var err = app.settings.save();
          if (!err && app.ports.audit) app.ports.audit.append(AuditEvent.SettingsChange, AuditRole.Supervisor, 1, 0);
          app.go(message(app, "NEW PIN", [err ? "Not saved: " + err : "PIN changed"], 10, then));
          return null;
        },
      }));
      return null;
    },
  });
}
