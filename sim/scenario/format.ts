// Scenario files: a scripted session on the terminal. See docs/scenarios.md.
// { "name": "...", "description": "...", "board": "pos-esp32-v1", "acquirer": { "declineRules": [...] },
//   "updateServer": { "version": 2, "key": "<hex>" },
//   "steps": [ { "keys": "1999" }, { "press": "ENTER" }, ... ] }
// parseScenario checks everything up front and names the file and the path of the bad field.
import { swipeCard, tapTrace } from "./cards";
import { SNTP_FAULTS } from "../bus/sntp";

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
  | { sntp: { fault: string; count?: number } }
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
  updateServer?: UpdateServerSpec;
  steps: Step[];
}

/** an update server on the virtual network (docs/update.md) offering the scenario's bundle as
 *  `version` (default: its tag's version + 1), signed with `key` (default: the firmware's TEST
 *  ONLY default update key) */
export interface UpdateServerSpec { version?: number; key?: string }

export const KEYS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "00", "CANCEL", "CLEAR", "ENTER", "FUNC", "MENU"];
export const FAULTS = ["no-response", "drop", "late", "garbled", "disconnect-mid", "duplicate", "rc"];
/** fields of the acquirer's ledger an expectLedger step may compare (a list compares its length) */
export const LEDGER_FIELDS = ["charges", "settled", "all", "reversed", "orphanReversals", "duplicateAdvices", "settlements", "doubleCharges", "violations", "batch"];

const ACTIONS: { [k: string]: string } = {
  press: "key name", keys: "digits", swipe: "card name", tap: "card name", wait: "seconds",
  powerCut: "true", powerOn: "true", network: '"up" or "down"', paper: '"out", "in" or "low" (runs out mid-receipt)',
  acquirer: "{ fault, count }", sntp: "{ fault, count }", expectScreen: "text", expectNotScreen: "text", expectReceipt: "text",
  expectNoReceipt: "text", expectLedger: "{ field: value }", expectConsole: "text", note: "text",
};
/** the steps that wait, and so take "within" */
const WAITING = ["expectScreen", "expectNotScreen", "expectReceipt", "expectConsole"];
const TOP = ["name", "description", "board", "acquirer", "updateServer", "steps"];
const UPDATE_FIELDS = ["version", "key"];
/** the largest version the update protocol carries (u32) */
const MAX_VERSION = 0xffffffff;
const FAULT_FIELDS = ["fault", "count", "mti", "procCode", "rc", "delayMs", "process"];
/** the longest wait a step may ask for, in seconds (a day) */
const MAX_SECONDS = 86400;

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

const isObject = (v: unknown): v is { [k: string]: any } => !!v && typeof v === "object" && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;
const show = (v: unknown): string => (v === undefined ? "nothing" : JSON.stringify(v));

/**
 * Parses and checks a whole scenario file before anything runs. Every mistake is a
 * ScenarioError naming the file and the path of the bad field, e.g.
 * `t.json: steps[2].swipe (step 3): unknown swipe card "visa-gold" (known: ...)` or
 * `t.json: acquirer.declineRules[0]: ...`.
 */
export function parseScenario(text: string, source = "scenario"): Scenario {
  const err = (where: string, msg: string) => new ScenarioError(`${source}: ${where ? where + ": " : ""}${msg}`);
  let raw: any;
  try { raw = JSON.parse(text); } catch (e) { throw err("", `not valid JSON: ${(e as Error).message}`); }
  if (!isObject(raw)) throw err("", 'expected an object with "name" and "steps"');
  for (const k of Object.keys(raw)) if (!TOP.includes(k)) throw err(k, `unknown top-level field (fields: ${TOP.join(", ")})`);
  if (typeof raw.name !== "string" || !raw.name) throw err("name", `must be a non-empty string, got ${show(raw.name)}`);
  if ("description" in raw && typeof raw.description !== "string") throw err("description", `must be a string, got ${show(raw.description)}`);
  if ("board" in raw && (typeof raw.board !== "string" || !/^[A-Za-z0-9._-]+$/.test(raw.board))) throw err("board", `must be a board name, got ${show(raw.board)}`);
  if ("acquirer" in raw) checkAcquirer(raw.acquirer, err);
  if ("updateServer" in raw) checkUpdateServer(raw.updateServer, err);
  if (!Array.isArray(raw.steps) || raw.steps.length === 0) throw err("steps", "must be a non-empty array");
  raw.steps.forEach((s: any, i: number) => checkStep(s, (field, msg) => err(`steps[${i}]${field ? "." + field : ""} (step ${i + 1})`, msg)));
  return raw as Scenario;
}

function checkAcquirer(a: any, err: (where: string, msg: string) => ScenarioError): void {
  if (!isObject(a)) throw err("acquirer", `must be an object like {"declineRules": [{"endsWith": "51", "rc": "51"}]}, got ${show(a)}`);
  for (const k of Object.keys(a)) if (k !== "declineRules") throw err(`acquirer.${k}`, "unknown field (fields: declineRules)");
  if (!("declineRules" in a)) return;
  if (!Array.isArray(a.declineRules)) throw err("acquirer.declineRules", `must be an array of {"endsWith": digits, "rc": two characters}, got ${show(a.declineRules)}`);
  a.declineRules.forEach((r: any, i: number) => {
    const at = `acquirer.declineRules[${i}]`;
    if (!isObject(r)) throw err(at, `must be an object {"endsWith": digits, "rc": two characters}, got ${show(r)}`);
    for (const k of Object.keys(r)) if (k !== "endsWith" && k !== "rc") throw err(`${at}.${k}`, "unknown field (fields: endsWith, rc)");
    if (typeof r.endsWith !== "string" || !/^[0-9]+$/.test(r.endsWith)) throw err(`${at}.endsWith`, `must be a string of digits (the amount's last digits), got ${show(r.endsWith)}`);
    if (typeof r.rc !== "string" || r.rc.length !== 2) throw err(`${at}.rc`, `must be a two-character response code, got ${show(r.rc)}`);
  });
}

function checkUpdateServer(u: any, err: (where: string, msg: string) => ScenarioError): void {
  if (!isObject(u)) throw err("updateServer", `must be an object like {"version": 2} (both fields optional: {} offers the bundle as its version + 1 with the test key), got ${show(u)}`);
  for (const k of Object.keys(u)) if (!UPDATE_FIELDS.includes(k)) throw err(`updateServer.${k}`, `unknown field (fields: ${UPDATE_FIELDS.join(", ")})`);
  if ("version" in u && !(isCount(u.version) && u.version >= 1 && u.version <= MAX_VERSION)) throw err("updateServer.version", `must be a whole number from 1 to ${MAX_VERSION} (the version offered), got ${show(u.version)}`);
  if ("key" in u && (typeof u.key !== "string" || !/^([0-9a-fA-F]{2}){16,32}$/.test(u.key))) throw err("updateServer.key", `must be the update key as 32 to 64 hex digits, got ${show(u.key)}`);
}

function checkStep(s: any, err: (field: string, msg: string) => ScenarioError): void {
  if (!isObject(s)) throw err("", `a step is an object like {"press": "ENTER"}, got ${show(s)}`);
  const actions = Object.keys(s).filter((k) => k !== "within");
  if (actions.length !== 1) throw err("", `exactly one action per step, got ${actions.length ? actions.join(", ") : "none"}`);
  const a = actions[0]!;
  if (!(a in ACTIONS)) throw err(a, `unknown action "${a}" (known: ${Object.keys(ACTIONS).join(", ")})`);
  const v = s[a];
  const bad = () => err(a, `"${a}" takes ${ACTIONS[a]}, got ${show(v)}`);
  if ("within" in s) {
    if (!WAITING.includes(a)) throw err("within", `"within" applies only to ${WAITING.join(", ")}`);
    if (typeof s.within !== "number" || !(s.within >= 0 && s.within <= MAX_SECONDS)) throw err("within", `"within" is seconds from 0 to ${MAX_SECONDS}, got ${show(s.within)}`);
  }
  switch (a) {
    case "press": if (!KEYS.includes(v)) throw err(a, `unknown key ${show(v)} (keys: ${KEYS.join(" ")})`); break;
    case "keys": if (typeof v !== "string" || !/^[0-9]+$/.test(v)) throw bad(); break;
    case "swipe": case "tap":
      if (typeof v !== "string" || !v) throw bad();
      try { if (a === "swipe") swipeCard(v); else tapTrace(v); } catch (e) { throw err(a, (e as Error).message); }
      break;
    case "note": case "expectScreen": case "expectNotScreen": case "expectReceipt": case "expectNoReceipt": case "expectConsole":
      if (typeof v !== "string" || !v) throw bad(); break;
    case "wait": if (typeof v !== "number" || !(v >= 0 && v <= MAX_SECONDS)) throw bad(); break;
    case "powerCut": case "powerOn": if (v !== true) throw bad(); break;
    case "network": if (v !== "up" && v !== "down") throw bad(); break;
    case "paper": if (v !== "out" && v !== "in" && v !== "low") throw bad(); break;
    case "acquirer": checkFault(v, (field, msg) => err(field ? `acquirer.${field}` : "acquirer", msg)); break;
    case "sntp":
      if (!isObject(v) || !(SNTP_FAULTS as readonly string[]).includes(v.fault)) throw err(isObject(v) ? "sntp.fault" : "sntp", `"sntp" takes { "fault": one of ${SNTP_FAULTS.join(", ")}, "count": n }, got ${show(isObject(v) ? v.fault : v)}`);
      for (const k of Object.keys(v)) if (k !== "fault" && k !== "count") throw err(`sntp.${k}`, "unknown field (fields: fault, count)");
      if ("count" in v && !(isCount(v.count) && v.count >= 1)) throw err("sntp.count", `must be a whole number >= 1, got ${show(v.count)}`);
      break;
    case "expectLedger":
      if (!isObject(v) || !Object.keys(v).length) throw bad();
      for (const [k, want] of Object.entries(v)) {
        if (!LEDGER_FIELDS.includes(k)) throw err(`expectLedger.${k}`, `unknown ledger field (fields: ${LEDGER_FIELDS.join(", ")})`);
        if (!isCount(want)) throw err(`expectLedger.${k}`, `must be a whole number >= 0 (a list field compares its length), got ${show(want)}`);
      }
      break;
  }
}

function checkFault(v: any, err: (field: string, msg: string) => ScenarioError): void {
  if (!isObject(v) || !FAULTS.includes(v.fault)) throw err(isObject(v) ? "fault" : "", `"acquirer" takes { "fault": one of ${FAULTS.join(", ")}, "count": n }, got ${show(isObject(v) ? v.fault : v)}`);
  for (const k of Object.keys(v)) if (!FAULT_FIELDS.includes(k)) throw err(k, `unknown field (fields: ${FAULT_FIELDS.join(", ")})`);
  if ("count" in v && !(isCount(v.count) && v.count >= 1)) throw err("count", `must be a whole number >= 1, got ${show(v.count)}`);
  if ("mti" in v && (typeof v.mti !== "string" || !/^[0-9]{4}$/.test(v.mti))) throw err("mti", `must be four digits like "0200", got ${show(v.mti)}`);
  if ("procCode" in v && (typeof v.procCode !== "string" || !/^[0-9]{6}$/.test(v.procCode))) throw err("procCode", `must be six digits like "000000", got ${show(v.procCode)}`);
  if ("process" in v && typeof v.process !== "boolean") throw err("process", `must be true or false, got ${show(v.process)}`);
  if (v.fault === "rc") {
    if (typeof v.rc !== "string" || v.rc.length !== 2) throw err("rc", `fault "rc" needs "rc": two characters, got ${show(v.rc)}`);
  } else if ("rc" in v) throw err("rc", `"rc" applies only to fault "rc"`);
  if (v.fault === "late") {
    if ("delayMs" in v && !(isCount(v.delayMs))) throw err("delayMs", `must be whole milliseconds >= 0, got ${show(v.delayMs)}`);
  } else if ("delayMs" in v) throw err("delayMs", `"delayMs" applies only to fault "late"`);
}
