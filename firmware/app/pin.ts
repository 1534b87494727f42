// Role PINs (docs/roles.md): each stored only as a salted, iterated SHA-256 hash (one
// per-device salt); failures are counted in the settings store (flash) so a reboot does not
// reset them. After MAX_FAILS failures a role is locked for LOCK_SECONDS of uptime; after a
// reboot the lock starts again from boot, so power cycling never shortens it.
import { Sha256, toHex } from "./hmac";

export const MAX_FAILS = 3;
export const LOCK_SECONDS = 300;
const ROUNDS = 256;
export const PIN_MIN = 4;
export const PIN_MAX = 8;

export function hashPin(sha256: Sha256, saltHex: string, pin: string): string {
  var h = sha256(saltHex + ":" + pin);
  for (var i = 1; i < ROUNDS; i++) h = sha256(h + saltHex);
  return toHex(h);
}

export function validPinFormat(pin: string): boolean {
  if (pin.length < PIN_MIN || pin.length > PIN_MAX) return false;
  for (var i = 0; i < pin.length; i++) {
    var c = pin.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** constant-time compare of two hex strings */
export function sameHash(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  var d = 0;
  for (var i = 0; i < a.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return d === 0;
}

/** Role codes, shared with the audit trail. A const enum: inlined, nothing in RAM. */
export const enum Role { System = 0, Cashier = 1, Supervisor = 2, Technician = 3 }

/** The settings fields of the role PINs. The supervisor keeps the pre-roles fields (pinHash,
 *  64 hex; pinFails), so a copy written before roles needs no conversion and a rollback to a
 *  pre-roles firmware keeps the supervisor PIN; cashier then technician hashes are the first
 *  16 bytes (32 hex) of the same hash, in one string. */
export interface RolePins { pinSalt: string; pinHash: string; rolePins: string; pinFails: number; cashierFails: number; techFails: number; }

export interface RoleTools {
  /** a role's stored hash ("" when not provisioned) */
  hash(role: number): string;
  /** a role's failure count (wrong PINs since that role's last right one) */
  fails(role: number): number;
  /** the role (1..3) whose stored hash h (a full hashPin) matches, among the roles in mask
   *  (bit 1 << role); 0 for none. PINs of different roles never match each other. */
  match(h: string, mask: number): number;
}

/** The role helpers over the settings values, built when a gate or a PIN change runs: one
 *  function object at idle instead of three (docs/roles.md, RAM). */
export function pinsOf(v: RolePins): RoleTools {
  var hash = function (role: number): string {
    return role === Role.Supervisor ? v.pinHash : v.rolePins.substr(role === Role.Cashier ? 0 : 32, 32);
  };
  return {
    hash: hash,
    fails: function (role) { return role === Role.Cashier ? v.cashierFails : role === Role.Technician ? v.techFails : v.pinFails; },
    match: function (h, mask) {
      for (var r = 1; r <= 3; r++) {
        var s = hash(r);
        if (!(mask & (1 << r)) || s.length < 32) continue;
        // sameHash, inlined: a module-level function would stay in RAM
        var d = 0;
        for (var i = 0; i < s.length; i++) d |= h.charCodeAt(i) ^ s.charCodeAt(i);
        if (!d) return r;
      }
      return 0;
    },
  };
}

/** The lock window: locked while fails >= MAX_FAILS and now < lockEnd. */
export class PinLock {
  private lockEnd = 0;
  constructor(fails: number, now: number) {
    if (fails >= MAX_FAILS) this.lockEnd = now + LOCK_SECONDS;
  }
  /** seconds left, 0 when a try is allowed */
  remaining(fails: number, now: number): number {
    if (fails < MAX_FAILS) return 0;
    return this.lockEnd > now ? Math.ceil(this.lockEnd - now) : 0;
  }
  /** after a failure brought fails to the limit (or beyond) */
  failed(fails: number, now: number): void {
    if (fails >= MAX_FAILS) this.lockEnd = now + LOCK_SECONDS;
  }
}
