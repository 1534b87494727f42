// Supervisor PIN: stored only as a salted, iterated SHA-256 hash with a per-device salt;
// failures are counted in the settings store (flash) so a reboot does not reset them.
// After MAX_FAILS failures the PIN is locked for LOCK_SECONDS of uptime; after a reboot the
// lock starts again from boot, so power cycling never shortens it.
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

export interface PinState { pinSalt: string; pinHash: string; pinFails: number; }

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
