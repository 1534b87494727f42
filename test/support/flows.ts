// Steps shared by the system tests that drive the app on the bundle in the simulator.
import { strict as assert } from "assert";
import { runScenario } from "../../sim/scenario/runner";
import { Step } from "../../sim/scenario/format";
import { SimTarget } from "../../sim/scenario/target-sim";

export const R: Step = { expectScreen: "READY", within: 20 };
/** the default supervisor PIN, then the cashier's (docs/roles.md) */
export const PIN: Step[] = [{ keys: "1234" }, { press: "ENTER" }];
export const CASHIER_PIN: Step[] = [{ keys: "1111" }, { press: "ENTER" }];

/** a sale from READY to READY: amount, card, approved, merchant copy, no customer copy */
export function sale(amount: string, card: Step = { swipe: "visa-good" }): Step[] {
  return [{ keys: amount }, { press: "ENTER" }, { expectScreen: "Swipe or tap" }, card, { expectScreen: "APPROVED", within: 40 },
    { expectScreen: "Customer copy?", within: 30 }, { press: "CANCEL" }, R];
}

/** runs the steps; fails with the scenario report and the console's tail, or on a firmware exception */
export function play(t: SimTarget, steps: Step[], name = "steps"): void {
  const lines: string[] = [];
  const rep = runScenario({ name, steps }, t, (l) => lines.push(l));
  assert.ok(rep.ok, `${rep.failure}\n${lines.join("\n")}\nconsole tail:\n${t.world.console.slice(-12).join("\n")}`);
  assert.deepEqual(t.world.errors.map((e) => e.message), [], "firmware exceptions");
}

/** runs virtual time in 50 ms steps until cond holds (true) or `within` seconds pass (false) */
export function waitFor(t: SimTarget, within: number, cond: () => boolean): boolean {
  const end = t.now() + within;
  while (!cond()) {
    if (t.now() >= end) return false;
    t.run(0.05);
  }
  return true;
}

/** where a swiped sale ends on the screen */
const SALE_END = ["Customer copy?", "DECLINED", "NO RESPONSE", "NO CONNECTION", "HOST ERROR"];
/** the screen shows one of xs */
export function screenHas(t: SimTarget, xs: string[]): boolean { const s = t.screen().join(" | "); return xs.some((x) => s.includes(x)); }

/** from READY: key in the amount, swipe a good Visa card and wait for the sale's end screen,
 *  which is returned (joined with " | ") */
export function swipeSale(t: SimTarget, amount: number): string {
  assert.ok(waitFor(t, 60, () => screenHas(t, ["READY"])), "READY: " + t.screen().join(" | "));
  for (const k of [...String(amount), "ENTER"]) { t.press(k); t.run(0.15); }
  t.swipe("visa-good");
  assert.ok(waitFor(t, 240, () => screenHas(t, SALE_END)), "sale end: " + t.screen().join(" | "));
  return t.screen().join(" | ");
}
