// Role PINs (docs/roles.md): which role a PIN identifies (firmware/app/pin.ts) and the
// per-role failure counts of the settings store's attempt tally (firmware/app/settings.ts):
// a wrong PIN counts against every role, a right one clears only its own role's count (so
// knowing one PIN never buys guesses at another), and a copy written before roles migrates
// to the supervisor role with its count.
import { strict as assert } from "assert";
import * as zlib from "zlib";
import { createHash } from "crypto";
import { hashPin, pinsOf, RolePins } from "../../firmware/app/pin";
import { SettingsStore } from "../../firmware/app/settings";
import { NorFlash, PowerCutError, CutFault } from "../../sim/parts/nor-flash";

const sha = (d: string) => createHash("sha256").update(d, "latin1").digest().toString("latin1");
const SALT = "00112233445566778899aabbccddeeff";
const REGION = { base: 0xe000, sectors: 2, sectorSize: 4096 };
const crc32 = (d: Uint8Array) => zlib.crc32(d) >>> 0;
const mkFlash = () => new NorFlash({ ranges: [{ base: 0xe000, size: 8192 }] });
const mk = (flash: NorFlash) => { const s = new SettingsStore({ flash, region: REGION, crc32 }); s.load(); return s; };
const counts = (s: SettingsStore) => [s.values.cashierFails, s.values.pinFails, s.values.techFails];
const C = 1, S = 2, T = 3;
const matchRole = (v: RolePins, h: string, mask: number) => pinsOf(v).match(h, mask);
const roleHash = (v: RolePins, r: number) => pinsOf(v).hash(r);
const failsOf = (v: RolePins, r: number) => pinsOf(v).fails(r);

function pins(cashier: string, supervisor: string, tech: string): RolePins {
  return {
    pinSalt: SALT, pinHash: hashPin(sha, SALT, supervisor),
    rolePins: hashPin(sha, SALT, cashier).substr(0, 32) + hashPin(sha, SALT, tech).substr(0, 32),
    pinFails: 0, cashierFails: 0, techFails: 0,
  };
}

describe("role PINs: which role a PIN identifies", () => {
  const v = pins("1111", "1234", "5678");
  const h = (pin: string) => hashPin(sha, SALT, pin);

  it("each role's PIN identifies that role; the supervisor keeps a 64-hex hash, the others 32", () => {
    assert.equal(matchRole(v, h("1111"), 14), C);
    assert.equal(matchRole(v, h("1234"), 14), S);
    assert.equal(matchRole(v, h("5678"), 14), T);
    assert.equal(matchRole(v, h("9999"), 14), 0);
    assert.equal(roleHash(v, S).length, 64);
    assert.equal(roleHash(v, C).length, 32);
    assert.equal(roleHash(v, T).length, 32);
    assert.equal(roleHash(v, T), h("5678").substr(0, 32));
  });

  it("only the roles in the mask are compared (a locked role's hash is never tested)", () => {
    assert.equal(matchRole(v, h("1234"), 1 << C), 0);
    assert.equal(matchRole(v, h("1234"), (1 << C) | (1 << S)), S);
    assert.equal(matchRole(v, h("5678"), 14 & ~(1 << T)), 0);
  });

  it("an unprovisioned role (empty or the placeholder) matches nothing", () => {
    const u: RolePins = { ...v, rolePins: "" };
    assert.equal(matchRole(u, h("1111"), 14), 0);
    assert.equal(matchRole(u, h(""), 14), 0);
    assert.equal(matchRole({ ...v, pinHash: "" }, h("1234"), 14), 0);
    const dash = { ...v, rolePins: "-".repeat(32) + v.rolePins.substr(32) };
    assert.equal(matchRole(dash, h("1111"), 14), 0);
    assert.equal(matchRole(dash, h("5678"), 14), T);
  });

  it("failsOf reads each role's count", () => {
    assert.deepEqual([C, S, T].map((r) => failsOf({ ...v, cashierFails: 4, pinFails: 5, techFails: 6 }, r)), [4, 5, 6]);
  });
});

describe("role PINs: per-role counts in the attempt tally", () => {
  it("a wrong PIN counts against every role; a right one clears only its role, in RAM and after a reload", () => {
    const flash = mkFlash();
    const s = mk(flash);
    s.save();
    s.countAttempt(); s.countAttempt();
    assert.deepEqual(counts(s), [2, 2, 2]);
    // the cashier's own PIN between guesses does not reset the supervisor's count
    s.countAttempt(); s.attemptOk(C);
    assert.deepEqual(counts(s), [0, 2, 2]);
    assert.deepEqual(counts(mk(flash)), [0, 2, 2]);
    s.countAttempt();
    assert.deepEqual(counts(mk(flash)), [1, 3, 3]);
    s.countAttempt(); s.attemptOk(T);
    assert.deepEqual(counts(s), [1, 3, 0]);
    assert.deepEqual(counts(mk(flash)), [1, 3, 0]);
    s.countAttempt(); s.attemptOk(S);
    assert.deepEqual(counts(mk(flash)), [1, 0, 0]);
  });

  it("a save carries the three counts; a full tally (128 slots) compacts into a save", () => {
    const flash = mkFlash();
    const s = mk(flash);
    s.save();
    for (let i = 0; i < 300; i++) {
      assert.equal(s.countAttempt(), null);
      if (i % 5 === 1) assert.equal(s.attemptOk((i % 3) + 1), null);
    }
    assert.deepEqual(counts(mk(flash)), counts(s));
    assert.ok(flash.stats.erases >= 3, "compacted");
  });

  it("a copy written before roles: its 2-bit tally counts against the supervisor, then the next attempt saves the new layout", () => {
    const flash = mkFlash();
    const old = mk(flash);
    const raw = old.values as any;
    raw.pinSalt = SALT; raw.pinHash = hashPin(sha, SALT, "4321"); raw.pinFails = 1;
    delete raw.rolePins; delete raw.cashierFails; delete raw.techFails;
    assert.equal(old.save(), null);
    // its tally: slot 0 wrong, slot 1 right, slots 2 and 3 wrong (2 bits a slot: attempt, right)
    flash.write(new Uint8Array([0xff & ~(1 | 4 | 8 | 16 | 64), 255, 255, 255]), REGION.base + REGION.sectorSize - 64);
    const s = mk(flash);
    assert.equal(s.values.pinHash, raw.pinHash);
    assert.equal(s.values.rolePins, "");
    assert.deepEqual(counts(s), [0, 2, 0]);
    const erases = flash.stats.erases;
    assert.equal(s.countAttempt(), null);
    assert.ok(flash.stats.erases > erases, "the first attempt after the migration writes a new copy");
    const t = mk(flash);
    assert.deepEqual(counts(t), [1, 3, 1]);
    t.countAttempt(); t.attemptOk(S);
    assert.deepEqual(counts(mk(flash)), [1, 0, 1]);
  });

  for (const fl of [
    { name: "clean", fault: { program: "clean", erase: "old" } },
    { name: "torn", fault: { program: "torn", erase: "mixed" } },
    { name: "weak", fault: { program: "weak", erase: "weakff" } },
  ] as { name: string; fault: CutFault }[]) {
    it(`power cut at every flash operation of mixed-role entries: no role's count drops below its wrong PINs (${fl.name})`, () => {
      // wrong PINs with right cashier and technician PINs between them, and a compaction
      const seq: number[] = [];
      for (let i = 0; i < 140; i++) seq.push(i % 4 === 3 ? (i % 8 === 3 ? C : T) : i % 37 === 36 ? S : 0);
      const base = mkFlash();
      mk(base).save();
      const image = base.snapshot();
      const dry = mkFlash(); dry.restore(image);
      const d = mk(dry); const ops0 = dry.ops;
      for (const r of seq) { assert.equal(d.countAttempt(), null); if (r) assert.equal(d.attemptOk(r), null); }
      const total = dry.ops - ops0;
      for (let op = 0; op < total; op++) {
        const flash = mkFlash(); flash.restore(image); flash.reseed(op + 1);
        const s = mk(flash);
        flash.armCut(flash.ops + op, fl.fault);
        // per role: wrong PINs confirmed in flash since that role's last confirmed right PIN
        const confirmed = [0, 0, 0, 0];
        let inFlight = 0;
        try {
          for (const r of seq) {
            inFlight = -1;
            assert.equal(s.countAttempt(), null);
            inFlight = r;
            if (r) { assert.equal(s.attemptOk(r), null); confirmed[r] = 0; } else for (const x of [C, S, T]) confirmed[x]++;
            inFlight = 0;
          }
          assert.fail("the cut did not fire at op " + op);
        } catch (e) {
          if (!(e instanceof PowerCutError)) throw e;
        }
        flash.powerOn();
        const got = counts(mk(flash));
        [C, S, T].forEach((r, i) => {
          // a cut in a right PIN of role r may leave r's count or clear it; an attempt cut
          // before it was confirmed may count or not
          if (inFlight !== r) assert.ok(got[i]! >= confirmed[r]!, `cut at op ${op}: role ${r} read ${got[i]}, ${confirmed[r]} confirmed`);
          assert.ok(got[i]! <= confirmed[r]! + 1 || inFlight === r, `cut at op ${op}: role ${r} read ${got[i]}, at most ${confirmed[r]! + 1}`);
        });
        // later boots: never below the confirmed wrong PINs; never less than before, unless the
        // cut tore a right PIN's mark (a weak bit read unmarked, then marked: the PIN was right)
        for (let i = 0; i < 3; i++) {
          const again = counts(mk(flash));
          [C, S, T].forEach((r, j) => {
            if (inFlight !== r) assert.ok(again[j]! >= confirmed[r]!, `cut at op ${op}: reboot read ${again}, confirmed ${confirmed}`);
            if (inFlight <= 0) assert.ok(again[j]! >= got[j]!, `cut at op ${op}: a reboot read ${again} after ${got}`);
          });
        }
      }
    });
  }
});
