// Roles on the application flow against in-memory ports (docs/roles.md): which PIN each
// function takes, separation of duties, per-role counts, PIN changes and the migration of a
// settings copy written before roles. The same rules run on the bundle in roles.test.ts.
import { strict as assert } from "assert";
import { FakeWorld, crc32, sha256Latin1 } from "../support/fake-ports";
import { startApp } from "../../firmware/app/boot";
import { SettingsStore } from "../../firmware/app/settings";
import { App } from "../../firmware/app/flow";
import { requireRole } from "../../firmware/app/supervisor";
import { hashPin, MAX_FAILS, LOCK_SECONDS, Role } from "../../firmware/app/pin";

const REGION = { base: 0xe000, sectors: 2, sectorSize: 4096 };
const CASHIER = "1111", SUPERVISOR = "1234", TECH = "5678", WRONG = "9999";

function boot(w: FakeWorld): App {
  return startApp(w.ports(), new SettingsStore({ flash: w.flash, region: REGION, crc32 }));
}
function enter(w: FakeWorld, pin: string): void { w.keys(pin); w.key("ENTER"); }
function open(w: FakeWorld, item: string): string { w.key("MENU"); w.key(item); return w.screen.title; }
function toIdle(w: FakeWorld): void { for (let i = 0; i < 4 && w.screen.title !== "READY"; i++) w.key("CANCEL"); assert.equal(w.screen.title, "READY"); }

describe("roles (fake ports)", () => {
  it("first boot provisions three distinct role hashes with one salt; no PIN in clear", () => {
    const w = new FakeWorld();
    const v = boot(w).settings.values;
    assert.equal(v.pinSalt.length, 32);
    assert.equal(v.pinHash, hashPin(sha256Latin1, v.pinSalt, SUPERVISOR));
    assert.equal(v.rolePins, hashPin(sha256Latin1, v.pinSalt, CASHIER).substr(0, 32) + hashPin(sha256Latin1, v.pinSalt, TECH).substr(0, 32));
    const flash = Buffer.from(w.flash.mem).toString("latin1");
    for (const p of [CASHIER, SUPERVISOR, TECH]) assert.ok(!flash.includes(p), "PIN in clear: " + p);
  });

  it("each menu function asks for its role's PIN; sales stay PIN-free", () => {
    const w = new FakeWorld();
    boot(w);
    const want: [string, string][] = [["1", "SUPERVISOR PIN"], ["2", "SUPERVISOR PIN"], ["3", "CASHIER PIN"], ["4", "CASHIER PIN"],
      ["5", "CASHIER PIN"], ["6", "SUPERVISOR PIN"], ["9", "SUPERVISOR PIN"]];
    for (const [k, title] of want) { assert.equal(open(w, k), title, "MENU " + k); toIdle(w); }
    w.keys("100"); w.key("ENTER");
    assert.equal(w.screen.title, "SALE");
  });

  it("separation of duties: a cashier PIN is refused for a void, a technician PIN for a refund and a reprint; the supervisor does cashier duties", () => {
    const w = new FakeWorld();
    const app = boot(w);
    open(w, "1"); enter(w, CASHIER);
    assert.match(w.screenText(), /Needs SUPERVISOR PIN/);
    enter(w, SUPERVISOR);
    assert.equal(w.screen.title, "VOID");
    toIdle(w);
    open(w, "2"); enter(w, TECH);
    assert.match(w.screenText(), /Needs SUPERVISOR PIN/);
    toIdle(w);
    open(w, "3"); enter(w, TECH);
    assert.match(w.screenText(), /Needs CASHIER PIN/);
    enter(w, SUPERVISOR);
    assert.equal(w.screen.title, "REPRINT");
    toIdle(w);
    // a refused right PIN is no guess: nobody's count went up
    const v = app.settings.values;
    assert.deepEqual([v.cashierFails, v.pinFails, v.techFails], [0, 0, 0]);
  });

  it("next() learns which role authenticated (for the audit trail)", () => {
    const w = new FakeWorld();
    const app = boot(w);
    const seen: number[] = [];
    requireRole(app, Role.Cashier, "test", (who) => seen.push(who));
    enter(w, CASHIER);
    requireRole(app, Role.Cashier, "test", (who) => seen.push(who));
    enter(w, SUPERVISOR);
    requireRole(app, Role.Technician, "test", (who) => seen.push(who));
    enter(w, TECH);
    requireRole(app, Role.Supervisor, "test", (who) => seen.push(who), undefined, Role.Technician);
    enter(w, TECH);
    assert.deepEqual(seen, [Role.Cashier, Role.Supervisor, Role.Technician, Role.Technician]);
  });

  it("a right cashier PIN between wrong ones does not reset the supervisor's count (no extra guesses for insiders)", () => {
    const w = new FakeWorld();
    const app = boot(w);
    for (let i = 0; i < MAX_FAILS - 1; i++) { open(w, "1"); enter(w, WRONG); toIdle(w); }
    open(w, "3"); enter(w, CASHIER);
    assert.equal(w.screen.title, "REPRINT");
    toIdle(w);
    open(w, "1"); enter(w, WRONG);
    assert.equal(w.screen.title, "PIN LOCKED");
    toIdle(w);
    // the supervisor and the technician are locked; the cashier still reprints (one wrong since its right PIN)
    assert.equal(open(w, "6"), "PIN LOCKED"); toIdle(w);
    assert.equal(open(w, "3"), "CASHIER PIN");
    enter(w, CASHIER);
    assert.equal(w.screen.title, "REPRINT");
    toIdle(w);
    // a reboot keeps each role's count, and the lock restarts from boot
    const v = boot(w).settings.values;
    assert.deepEqual([v.cashierFails, v.pinFails, v.techFails], [0, MAX_FAILS, MAX_FAILS]);
    assert.equal(open(w, "6"), "PIN LOCKED"); toIdle(w);
    // a locked role's PIN is not compared: the supervisor PIN at a cashier gate is a wrong PIN
    open(w, "3"); enter(w, SUPERVISOR);
    assert.match(w.screenText(), /Wrong PIN, 2 left/);
    toIdle(w);
    w.clock.advance(LOCK_SECONDS + 1);
    open(w, "6"); enter(w, SUPERVISOR);
    assert.equal(w.screen.title, "SETTLE?");
    void app;
  });

  it("the technician's settings: the technician PIN and the UTC offset; the supervisor's: cashier and supervisor PINs, amount limits", () => {
    const w = new FakeWorld();
    boot(w);
    open(w, "9"); enter(w, TECH);
    assert.equal(w.screen.title, "SETTINGS");
    assert.match(w.screenText(), /1 TECHNICIAN PIN[\s\S]*2 UTC not set/);
    assert.doesNotMatch(w.screenText(), /CASHIER|MIN|MAX/);
    w.key("3"); w.key("4");
    assert.equal(w.screen.title, "SETTINGS", "no other item");
    w.key("2");
    assert.equal(w.screen.title, "UTC OFFSET");
    w.key("CANCEL");
    assert.equal(w.screen.title, "SETTINGS");
    w.key("1"); enter(w, "2468"); enter(w, "2468");
    assert.match(w.screenText(), /TECHNICIAN PIN changed/);
    toIdle(w);
    open(w, "9"); enter(w, SUPERVISOR);
    assert.match(w.screenText(), /1 CASHIER PIN[\s\S]*2 SUPERVISOR PIN[\s\S]*3 MIN[\s\S]*4 MAX/);
    toIdle(w);
    // the new technician PIN works for its own settings, the old one is a wrong PIN
    open(w, "9"); enter(w, TECH);
    assert.match(w.screenText(), /Wrong PIN/);
    enter(w, "2468");
    assert.match(w.screenText(), /1 TECHNICIAN PIN/);
  });

  it("the technician sets the UTC offset (SNTP, docs/time.md): east or west in minutes, range-checked, saved", () => {
    const w = new FakeWorld();
    const app = boot(w);
    open(w, "9"); enter(w, TECH);
    w.key("2");
    assert.match(w.screenText(), /Now UTC not set[\s\S]*1 UTC\+ \(east\)[\s\S]*2 UTC- \(west\)/);
    w.key("1");
    assert.equal(w.screen.title, "UTC+ (EAST)");
    enter(w, "841");
    assert.match(w.screenText(), /0\.\.840 minutes/);
    enter(w, "330");
    assert.match(w.screenText(), /UTC\+05:30 saved/);
    w.key("ENTER");
    assert.match(w.screenText(), /2 UTC \+05:30/);
    w.key("2"); w.key("2");
    assert.equal(w.screen.title, "UTC- (WEST)");
    enter(w, "721");
    assert.match(w.screenText(), /0\.\.720 minutes/);
    enter(w, "300");
    assert.match(w.screenText(), /UTC-05:00 saved/);
    assert.equal(app.settings.values.utcOffset, -300);
    const again = new SettingsStore({ flash: w.flash, region: REGION, crc32 });
    again.load();
    assert.equal(again.values.utcOffset, -300, "on flash");
  });

  it("a new PIN may not be another role's; changing the cashier PIN takes effect and survives a reboot", () => {
    const w = new FakeWorld();
    boot(w);
    open(w, "9"); enter(w, SUPERVISOR);
    w.key("1"); enter(w, TECH); enter(w, TECH);
    assert.match(w.screenText(), /Used by another role/);
    w.key("ENTER");
    w.key("1"); enter(w, SUPERVISOR); enter(w, SUPERVISOR);
    assert.match(w.screenText(), /Used by another role/);
    w.key("ENTER");
    w.key("1"); enter(w, "3579"); enter(w, "3579");
    assert.match(w.screenText(), /CASHIER PIN changed/);
    toIdle(w);
    boot(w);
    open(w, "4"); enter(w, CASHIER);
    assert.match(w.screenText(), /Wrong PIN/);
    enter(w, "3579");
    assert.equal(w.reports[w.reports.length - 1]!.title, "X REPORT");
  });

  it("a PIN change is refused while another role is locked (the check compares with its hash)", () => {
    const w = new FakeWorld();
    const app = boot(w);
    const v = app.settings.values;
    // the technician alone is locked: wrong PINs, then right cashier and supervisor PINs
    for (let i = 0; i < MAX_FAILS; i++) { open(w, "3"); enter(w, WRONG); toIdle(w); }
    w.clock.advance(LOCK_SECONDS + 1);
    open(w, "3"); enter(w, CASHIER); toIdle(w);
    open(w, "1"); enter(w, SUPERVISOR); toIdle(w);
    assert.deepEqual([v.cashierFails, v.pinFails, v.techFails], [0, 0, MAX_FAILS]);
    // one more wrong PIN (at a cashier gate) starts the technician's lock again
    open(w, "3"); enter(w, WRONG);
    assert.match(w.screenText(), /Wrong PIN, 2 left/);
    toIdle(w);
    open(w, "9"); enter(w, SUPERVISOR);
    assert.equal(w.screen.title, "SETTINGS");
    w.key("1"); enter(w, "3579"); enter(w, "3579");
    assert.match(w.screenText(), /PINs locked/);
  });

  it("a settings copy from before roles: the supervisor keeps its PIN and its count; cashier and technician get the defaults", () => {
    const w = new FakeWorld();
    // what the firmware before roles wrote: one salt, one hash, one count, 2-bit tally
    const st = new SettingsStore({ flash: w.flash, region: REGION, crc32 });
    st.load();
    const raw = st.values as any;
    raw.pinSalt = "0123456789abcdef0123456789abcdef";
    raw.pinHash = hashPin(sha256Latin1, raw.pinSalt, "4242");
    raw.pinFails = 2;
    raw.deviceKey = "ab".repeat(32);
    delete raw.rolePins; delete raw.cashierFails; delete raw.techFails;
    assert.equal(st.save(), null);
    assert.ok(!Buffer.from(w.flash.mem).toString("latin1").includes("rolePins"));
    const app = boot(w);
    const v = app.settings.values;
    assert.equal(v.pinHash, raw.pinHash);
    assert.equal(v.pinFails, 2);
    assert.equal(v.rolePins.length, 64);
    open(w, "6"); enter(w, SUPERVISOR);
    assert.equal(w.screen.title, "PIN LOCKED", "the migrated count (2) plus one wrong PIN locks");
    w.clock.advance(LOCK_SECONDS + 1);
    toIdle(w);
    open(w, "6"); enter(w, "4242");
    assert.equal(w.screen.title, "SETTLE?");
    toIdle(w);
    open(w, "3"); enter(w, CASHIER);
    assert.equal(w.screen.title, "REPRINT");
  });

  it("a migrated supervisor PIN equal to a role default leaves that role without a PIN", () => {
    const w = new FakeWorld();
    const st = new SettingsStore({ flash: w.flash, region: REGION, crc32 });
    st.load();
    const raw = st.values as any;
    raw.pinSalt = "0123456789abcdef0123456789abcdef";
    raw.pinHash = hashPin(sha256Latin1, raw.pinSalt, CASHIER);
    delete raw.rolePins;
    st.save();
    boot(w);
    open(w, "3"); enter(w, CASHIER);
    assert.equal(w.screen.title, "REPRINT", "1111 is the supervisor's: accepted as the supervisor");
    toIdle(w);
    open(w, "9"); enter(w, TECH);
    assert.match(w.screenText(), /1 TECHNICIAN PIN/);
  });
});
