// A tiny test framework that runs on the Espruino interpreter as well as in Node.
// Pure modules add `<name>.selftest.ts` files that call `test(...)`; the selftest bundle
// (make selftest) imports them all and prints one closing line `N passed, M failed`.
// mocha also runs the same tests in Node (test/unit/selftests.test.ts).

export interface SelfTest { name: string; fn: () => void; }
export var selfTests: SelfTest[] = [];

export function test(name: string, fn: () => void): void {
  selfTests.push({ name: name, fn: fn });
}

export function fail(what: string): never {
  throw new Error(what);
}

export function ok(cond: any, what: string): void {
  if (!cond) fail(what);
}

export function eq(actual: any, expected: any, what: string): void {
  if (actual !== expected) fail(what + ": expected " + expected + ", got " + actual);
}

/** element-wise equality for byte arrays and plain arrays */
export function eqBytes(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  if (actual.length !== expected.length) fail(what + ": length " + actual.length + " != " + expected.length);
  for (var i = 0; i < actual.length; i++) {
    if (actual[i] !== expected[i]) fail(what + ": byte " + i + " is " + actual[i] + ", expected " + expected[i]);
  }
}

export function throws(fn: () => void, what: string): void {
  var threw = false;
  try { fn(); } catch (e) { threw = true; }
  if (!threw) fail(what + ": did not throw");
}

/** Runs every registered test; prints failures and the closing line. */
export function runSelfTests(log: (line: string) => void): { passed: number; failed: number } {
  var passed = 0, failed = 0;
  for (var i = 0; i < selfTests.length; i++) {
    var t = selfTests[i]!;
    try {
      t.fn();
      passed++;
    } catch (e) {
      failed++;
      log("FAIL " + t.name + ": " + ((e as any) && (e as any).message ? (e as any).message : String(e)));
    }
  }
  log(passed + " passed, " + failed + " failed");
  return { passed: passed, failed: failed };
}
