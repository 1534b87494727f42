// Runs a scenario against a target (the simulated terminal, or the flow on fake ports) and
// reports each step. Expectations wait in virtual time up to `within` seconds (default 10)
// for the condition, so scripts do not depend on exact timings.
import { Scenario, Step, describeStep, faultName } from "./format";

export interface Target {
  now(): number;
  /** advance virtual time */
  run(seconds: number): void;
  press(key: string): void;
  swipe(card: string): void;
  tap(card: string): void;
  powerCut(): void;
  powerOn(): void;
  network(up: boolean): void;
  /** "out" now, "in" (a full roll), "low": runs out a few centimetres into the next receipt */
  paper(state: "out" | "in" | "low"): void;
  acquirerFault(rule: { fault: string; count?: number; mti?: string; procCode?: string; rc?: string; delayMs?: number; process?: boolean }): void;
  /** the virtual SNTP server's next answers (sim/bus/sntp.ts); absent: the target has none */
  sntpFault?(rule: { fault: string; count?: number }): void;
  /** the screen as text lines (title first) */
  screen(): string[];
  /** everything printed since the start, as text */
  receipt(): string;
  /** the acquirer's view of this terminal */
  ledger(): { [field: string]: any };
  consoleLines(): string[];
}

export interface StepReport { index: number; step: string; time: number; ok: boolean; detail?: string; }
export interface Report { name: string; ok: boolean; steps: StepReport[]; failure?: string; }

export const DEFAULT_WITHIN = 10;
/** time between key presses of a `keys` step and after each press */
export const KEY_GAP = 0.15;
const POLL = 0.05;

/** run until cond() holds or `within` virtual seconds pass; returns whether it held */
function waitFor(t: Target, within: number, cond: () => boolean): boolean {
  if (cond()) return true;
  const end = t.now() + within;
  while (t.now() < end - 1e-9) {
    t.run(Math.min(POLL, end - t.now()));
    if (cond()) return true;
  }
  return cond();
}

function norm(s: string): string { return s.replace(/\s+/g, " ").toUpperCase(); }

function ledgerValue(v: any): any { return Array.isArray(v) ? v.length : v; }

export function runScenario(sc: Scenario, t: Target, log: (line: string) => void = () => {}): Report {
  const steps: StepReport[] = [];
  for (let i = 0; i < sc.steps.length; i++) {
    const step = sc.steps[i]!;
    const what = describeStep(step);
    let detail: string | undefined;
    try {
      detail = exec(step, t);
    } catch (e) {
      detail = "error: " + ((e as Error).message || String(e));
    }
    const ok = detail === undefined;
    const r: StepReport = { index: i + 1, step: what, time: t.now(), ok, detail };
    steps.push(r);
    log(`${t.now().toFixed(2).padStart(8)}s  ${ok ? "ok  " : "FAIL"}  ${i + 1}. ${what}${ok ? "" : "\n            " + detail}`);
    if (!ok) return { name: sc.name, ok: false, steps, failure: `step ${i + 1} (${what}): ${detail}` };
  }
  return { name: sc.name, ok: true, steps };
}

/** returns undefined on success, else what went wrong */
function exec(s: Step, t: Target): string | undefined {
  const within = (s as any).within ?? DEFAULT_WITHIN;
  if ("press" in s) { t.press(s.press); t.run(KEY_GAP); return; }
  if ("keys" in s) { for (const c of s.keys) { t.press(c); t.run(KEY_GAP); } return; }
  if ("swipe" in s) { t.swipe(s.swipe); return; }
  if ("tap" in s) { t.tap(s.tap); return; }
  if ("wait" in s) { t.run(s.wait); return; }
  if ("powerCut" in s) { t.powerCut(); return; }
  if ("powerOn" in s) { t.powerOn(); return; }
  if ("network" in s) { t.network(s.network === "up"); return; }
  if ("paper" in s) { t.paper(s.paper); return; }
  if ("acquirer" in s) { t.acquirerFault({ ...s.acquirer, fault: faultName(s.acquirer.fault) }); return; }
  if ("sntp" in s) {
    if (!t.sntpFault) return "this target has no SNTP server";
    t.sntpFault(s.sntp);
    return;
  }
  if ("note" in s) return;
  if ("expectScreen" in s) {
    const want = norm(s.expectScreen);
    if (waitFor(t, within, () => norm(t.screen().join(" | ")).includes(want))) return;
    return `screen after ${within} s shows: ${t.screen().join(" | ") || "(blank)"}`;
  }
  if ("expectNotScreen" in s) {
    const bad = norm(s.expectNotScreen);
    let seen = "";
    waitFor(t, within, () => { const now = t.screen().join(" | "); if (norm(now).includes(bad)) seen = now; return false; });
    return seen ? `screen showed: ${seen}` : undefined;
  }
  if ("expectReceipt" in s) {
    const want = norm(s.expectReceipt);
    if (waitFor(t, within, () => norm(t.receipt()).includes(want))) return;
    const tail = t.receipt().split("\n").filter((l) => l.trim()).slice(-6).join(" / ");
    return `no receipt line with "${s.expectReceipt}" after ${within} s; paper ends: ${tail || "(nothing printed)"}`;
  }
  if ("expectNoReceipt" in s) {
    return norm(t.receipt()).includes(norm(s.expectNoReceipt)) ? `the receipt contains "${s.expectNoReceipt}"` : undefined;
  }
  if ("expectConsole" in s) {
    if (waitFor(t, within, () => t.consoleLines().some((l) => l.includes(s.expectConsole)))) return;
    return `no console line with "${s.expectConsole}" after ${within} s`;
  }
  if ("expectLedger" in s) {
    const l = t.ledger();
    const wrong: string[] = [];
    for (const [k, want] of Object.entries(s.expectLedger)) {
      if (!(k in l)) { wrong.push(`${k}: no such ledger field (fields: ${Object.keys(l).join(", ")})`); continue; }
      const got = ledgerValue(l[k]);
      if (got !== want) wrong.push(`${k} is ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    }
    return wrong.length ? "ledger: " + wrong.join("; ") : undefined;
  }
  return "unknown step";
}
