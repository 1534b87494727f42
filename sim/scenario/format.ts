// Scenario files: a scripted session on the terminal. See docs/scenarios.md.
// { "name": "...", "description": "...", "board": "pos-esp32-v1", "acquirer": { "declineRules": [...] },
//   "settings": { "minAmount": 100 }, "steps": [ { "keys": "1999" }, { "press": "ENTER" }, ... ] }
// parseScenario checks everything up front and names the step and the field on any mistake.

export type Step =
  | { press: string }
  | { keys: string }
  | { swipe: string }
  | { tap: string }
  | { wait: number }
  | { powerCut: true }
  | { powerOn: true }
  | { network: "up" | "down" }
  | { paper: "out" | "in" | "low" }
  | { acquirer: { fault: string; count?: number; mti?: string; procCode?: string; rc?: string; delayMs?: number; process?: boolean } }
  | { expectScreen: string; within?: number }
  | { expectNotScreen: string; within?: number }
  | { expectReceipt: string; within?: number }
  | { expectNoReceipt: string }
  | { expectLedger: { [field: string]: number | string } }
  | { expectConsole: string; within?: number }
  | { note: string };

export interface Scenario {
  name: string;
  description?: string;
  board?: string;
  acquirer?: { declineRules?: { endsWith: string; rc: string }[] };
  steps: Step[];
}

export const KEYS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "00", "CANCEL", "CLEAR", "ENTER", "FUNC", "MENU"];
export const FAULTS = ["no-response", "drop", "late", "garbled", "disconnect-mid", "duplicate", "rc"];

const ACTIONS: { [k: string]: string } = {
  press: "key name", keys: "digits", swipe: "card name", tap: "card name", wait: "seconds",
  powerCut: "true", powerOn: "true", network: '"up" or "down"', paper: '"out", "in" or "low" (runs out mid-receipt)',
  acquirer: "{ fault, count }", expectScreen: "text", expectNotScreen: "text", expectReceipt: "text",
  expectNoReceipt: "text", expectLedger: "{ field: value }", expectConsole: "text", note: "text",
};
const MODIFIERS = ["within"];

export class ScenarioError extends Error {}

/** kebab-case fault names of the scenario format -> the acquirer's names */
export function faultName(f: string): string {
  return f.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

export function describeStep(s: Step): string {
  const k = Object.keys(s).find((x) => x !== "within")!;
  const v = (s as any)[k];
  return v === true ? k : `${k} ${JSON.stringify(v)}`;
}

export function parseScenario(text: string, source = "scenario"): Scenario {
  let raw: any;
  try { raw = JSON.parse(text); } catch (e) { throw new ScenarioError(`${source}: not valid JSON: ${(e as Error).message}`); }
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new ScenarioError(`${source}: expected an object with "name" and "steps"`);
  if (typeof raw.name !== "string" || !raw.name) throw new ScenarioError(`${source}: "name" must be a non-empty string`);
  if (!Array.isArray(raw.steps) || raw.steps.length === 0) throw new ScenarioError(`${source}: "steps" must be a non-empty array`);
  for (const k of Object.keys(raw)) {
    if (!["name", "description", "board", "acquirer", "steps"].includes(k)) throw new ScenarioError(`${source}: unknown top-level field "${k}"`);
  }
  raw.steps.forEach((s: any, i: number) => checkStep(s, `${source}: step ${i + 1}`));
  return raw as Scenario;
}

function checkStep(s: any, where: string): void {
  if (!s || typeof s !== "object" || Array.isArray(s)) throw new ScenarioError(`${where}: a step is an object like {"press": "ENTER"}`);
  const keys = Object.keys(s);
  const actions = keys.filter((k) => !MODIFIERS.includes(k));
  if (actions.length !== 1) throw new ScenarioError(`${where}: exactly one action per step, got ${actions.length ? actions.join(", ") : "none"}`);
  const a = actions[0]!;
  if (!(a in ACTIONS)) throw new ScenarioError(`${where}: unknown action "${a}" (known: ${Object.keys(ACTIONS).join(", ")})`);
  const v = s[a];
  const bad = () => new ScenarioError(`${where}: "${a}" takes ${ACTIONS[a]}, got ${JSON.stringify(v)}`);
  if ("within" in s && (typeof s.within !== "number" || s.within < 0 || !a.startsWith("expect"))) throw new ScenarioError(`${where}: "within" is seconds (>= 0) on an expect step`);
  switch (a) {
    case "press": if (!KEYS.includes(v)) throw new ScenarioError(`${where}: unknown key ${JSON.stringify(v)} (keys: ${KEYS.join(" ")})`); break;
    case "keys": if (typeof v !== "string" || !/^[0-9]+$/.test(v)) throw bad(); break;
    case "swipe": case "tap": case "note": case "expectScreen": case "expectNotScreen": case "expectReceipt": case "expectNoReceipt": case "expectConsole":
      if (typeof v !== "string" || !v) throw bad(); break;
    case "wait": if (typeof v !== "number" || v < 0 || v > 86400) throw bad(); break;
    case "powerCut": case "powerOn": if (v !== true) throw bad(); break;
    case "network": if (v !== "up" && v !== "down") throw bad(); break;
    case "paper": if (v !== "out" && v !== "in" && v !== "low") throw bad(); break;
    case "acquirer":
      if (!v || typeof v !== "object" || !FAULTS.includes(v.fault)) throw new ScenarioError(`${where}: "acquirer" takes { "fault": one of ${FAULTS.join(", ")}, "count": n }`);
      if (v.count !== undefined && (typeof v.count !== "number" || v.count < 1)) throw bad();
      if (v.fault === "rc" && (typeof v.rc !== "string" || v.rc.length !== 2)) throw new ScenarioError(`${where}: fault "rc" needs "rc": two characters`);
      break;
    case "expectLedger":
      if (!v || typeof v !== "object" || Array.isArray(v) || !Object.keys(v).length) throw bad();
      break;
  }
}
