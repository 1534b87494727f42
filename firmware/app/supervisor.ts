// The role PIN gate (docs/roles.md): masked entry, salted hash check, failure counts persisted
// before each comparison (the settings store's attempt tally) and lock-out (firmware/app/pin.ts).
// Cashier duties: reprint, X and Z reports; supervisor: void, refund, settlement, settings and
// the journal-fault recovery; technician: the service functions (MENU 0) that call for it.
import { App, State, numberEntry, message } from "./flow";
import { SettingsStore } from "./settings";
import { Sha256 } from "./hmac";
import { hashPin, validPinFormat, pinsOf, Role, MAX_FAILS, PIN_MAX } from "./pin";
import { randomHex } from "./hmac";
import { AuditEvent, AuditRole } from "../audit/format";

/** First boot: a per-device salt, the default PINs' hashes (cashier 1111, supervisor 1234,
 *  technician 5678) and the token key. A copy from before roles keeps its supervisor PIN,
 *  salt and count; cashier and technician get their defaults. */
export function provision(app: App): void {
  var v = app.settings.values;
  var sha = app.ports.sha256;
  var changed = false;
  if (!v.pinSalt || !v.pinHash) {
    v.pinSalt = randomHex(app.ports.randomByte, 16);
    v.pinHash = hashPin(sha, v.pinSalt, "1234");
    v.pinFails = 0;
    v.rolePins = "";
    changed = true;
  }
  if (v.rolePins.length !== 64) {
    // a default equal to a migrated supervisor PIN would be two roles on one PIN: that role
    // gets no PIN (a hash nothing matches) until the supervisor sets one. No closure here: a
    // boot-time closure is a reference cycle that stays in RAM until a garbage collection.
    var pins = "";
    for (var i = 0; i < 2; i++) {
      var h = hashPin(sha, v.pinSalt, i ? "5678" : "1111");
      pins += h === v.pinHash ? "--------------------------------" : h.substr(0, 32);
    }
    v.rolePins = pins;
    changed = true;
  }
  if (v.deviceKey.length < 32) { v.deviceKey = randomHex(app.ports.randomByte, 32); changed = true; }
  if (changed) {
    var err = app.settings.save();
    if (err) app.ports.log("settings: " + err);
  }
}

/** Asks for the PIN of `role` (the duty's: Role.Cashier, Supervisor or Technician), then runs
 *  next(who), who = the role whose PIN was entered (for the audit trail); CANCEL/timeout ->
 *  back (default idle). A supervisor PIN also does cashier duties; `also` admits one more
 *  role (MENU 9 settings: the technician, for the technician PIN). Any other role's PIN is
 *  refused ("Needs SUPERVISOR PIN"): a technician gets no money functions. */
export function requireRole(app: App, role: number, purpose: string, next: (who: number) => void, back?: () => void, also?: number): void {
  var v = app.settings.values;
  var pins = pinsOf(v);
  var lock = app.pinLock;
  var name = role === Role.Cashier ? "CASHIER" : role === Role.Technician ? "TECHNICIAN" : "SUPERVISOR";
  var mask = (1 << role) | (role === Role.Cashier ? 1 << Role.Supervisor : 0) | (also ? 1 << also : 0);
  var locked = function (): void {
    app.go(message(app, "PIN LOCKED", ["Too many wrong PINs", "Try again in " + lock.remaining(pins.fails(role), app.ports.timers.getTime()) + "s"], 10, back));
  };
  if (lock.remaining(pins.fails(role), app.ports.timers.getTime()) > 0) { locked(); return; }
  app.go(numberEntry(app, {
    title: name + " PIN", prompt: purpose, maxDigits: PIN_MAX, masked: true, cancel: back,
    done: function (pin) {
      // the attempt is counted in flash (and read back) BEFORE the PIN is compared, and
      // cleared only after a right one: a power cut at any point after ENTER either stops
      // before the comparison or leaves the attempt counted
      var err = app.settings.countAttempt();
      if (err) { app.ports.log("settings: " + err); return "Flash error: retry"; }
      // compared with every role not locked before this attempt (a locked role's hash is
      // never tested), so the attempt counts against every role unless it was one's PIN
      var now = app.ports.timers.getTime();
      var can = 0;
      for (var r = 1; r <= 3; r++) if (!lock.remaining(pins.fails(r) - 1, now)) can |= 1 << r;
      var who = validPinFormat(pin) ? pins.match(hashPin(app.ports.sha256, v.pinSalt, pin), can) : 0;
      if (who) {
        err = app.settings.attemptOk(who);
        if (err) app.ports.log("settings: " + err);
        if (mask & (1 << who)) {
          if (app.ports.audit) app.ports.audit.append(AuditEvent.AccessOk, who, role, 0);
          app.who = who;
          next(who);
          return null;
        }
        // that person's own PIN, not a guess: no attempt spent, but the refusal is recorded
        if (app.ports.audit) app.ports.audit.append(AuditEvent.AccessRefused, who, role, 0);
        return "Needs " + name + " PIN";
      }
      lock.failed(Math.max(v.pinFails, v.cashierFails, v.techFails), now);
      var fails = pins.fails(role);
      // nobody's PIN: the role is unknown (System); a: failures in a row for the duty's role
      if (app.ports.audit) app.ports.audit.append(fails >= MAX_FAILS ? AuditEvent.AccessLockout : AuditEvent.AccessFailed, AuditRole.System, fails, role);
      if (fails >= MAX_FAILS) { locked(); return null; }
      return "Wrong PIN, " + (MAX_FAILS - fails) + " left";
    },
  }));
}

/** Settings: a new PIN for role, entered twice. It may not be another role's PIN; finding
 *  that out compares it with their hashes, so it is counted like a PIN entry (a PIN that is
 *  nobody's counts against the other roles) and refused while another role is locked. */
export function changePin(app: App, role: number, then: () => void): State {
  var name = role === Role.Cashier ? "CASHIER" : role === Role.Technician ? "TECHNICIAN" : "SUPERVISOR";
  var done = function (lines: string[]): null { app.go(message(app, "NEW PIN", lines, 10, then)); return null; };
  return numberEntry(app, {
    title: "NEW PIN", prompt: "New " + name + " PIN:", maxDigits: PIN_MAX, masked: true, cancel: then,
    done: function (first) {
      if (!validPinFormat(first)) return "4 to 8 digits";
      app.go(numberEntry(app, {
        title: "NEW PIN", prompt: "Repeat PIN:", maxDigits: PIN_MAX, masked: true, cancel: then,
        done: function (second) {
          if (second !== first) return done(["PINs differ,", "not changed"]);
          var v = app.settings.values;
          var pins = pinsOf(v);
          var now = app.ports.timers.getTime();
          for (var r = 1; r <= 3; r++) {
            var left = app.pinLock.remaining(pins.fails(r), now);
            if (r !== role && left > 0) return done(["PINs locked,", "try again in " + left + "s"]);
          }
          var err = app.settings.countAttempt();
          if (err) return done(["Not saved: " + err]);
          var h = hashPin(app.ports.sha256, v.pinSalt, first);
          var other = pins.match(h, 14 & ~(1 << role));
          if (other) {
            err = app.settings.attemptOk(other);
            if (err) app.ports.log("settings: " + err);
            return done(["Used by another role,", "not changed"]);
          }
          if (role === Role.Supervisor) { v.pinHash = h; v.pinFails = 0; }
          else if (role === Role.Cashier) { v.rolePins = h.substr(0, 32) + v.rolePins.substr(32); v.cashierFails = 0; }
          else { v.rolePins = v.rolePins.substr(0, 32) + h.substr(0, 32); v.techFails = 0; }
          err = app.settings.save();
          if (!err && app.ports.audit) app.ports.audit.append(AuditEvent.SettingsChange, app.who, 1, role);
          return done([err ? "Not saved: " + err : name + " PIN changed"]);
        },
      }));
      return null;
    },
  });
}

/** posConfig("techPin", "4826") on the console: sets a forgotten technician PIN. The console
 *  is the installer's (it can reprovision every setting and read the flash anyway), so no
 *  PIN is asked and no attempt counted; the PIN may still not be another role's. Returns an
 *  error text or null; the caller audits it as a technician's PIN change. */
export function consoleTechPin(store: SettingsStore, sha256: Sha256, pin: any): string | null {
  if (typeof pin !== "string" || !validPinFormat(pin)) return "techPin: a string of 4 to 8 digits";
  var v = store.values;
  var h = hashPin(sha256, v.pinSalt, pin);
  if (pinsOf(v).match(h, 14 & ~(1 << Role.Technician))) return "techPin: used by another role, not changed";
  v.rolePins = v.rolePins.substr(0, 32) + h.substr(0, 32);
  v.techFails = 0;
  return store.save();
}
