// The one argument parser of every pos-sim command and of the tools the make targets run
// (soak, fuzz, bench): Node's util.parseArgs (strict: unknown options, missing values and
// stray arguments are errors) plus typed numbers with ranges, choices and positional counts.
// Problems come back as a UsageError whose message is one plain line; `cliArgs` prints it as
// `<prog>: <problem>` and turns it into exit code 2, never a stack trace.
import * as fs from "fs";
import * as path from "path";
import { parseArgs as nodeParseArgs } from "util";

export class UsageError extends Error {}

export interface OptionSpec {
  /** "int": an integer written in decimal digits; "number": any finite decimal number */
  type: "string" | "boolean" | "number" | "int";
  short?: string;
  multiple?: boolean;
  min?: number;
  max?: number;
  /** the values a string option accepts */
  choices?: readonly string[];
}
export type Spec = Record<string, OptionSpec>;
type One<O extends OptionSpec> = O["type"] extends "boolean" ? boolean : O["type"] extends "string" ? string : number;
export type Values<S extends Spec> = { [K in keyof S]?: S[K]["multiple"] extends true ? One<S[K]>[] : One<S[K]> };
export interface Parsed<S extends Spec> { values: Values<S>; positionals: string[]; }
export interface PositionalSpec { min?: number; max?: number; /** e.g. "<scenario.json>", for messages */ name?: string; }

const INT = /^[+-]?\d+$/;
const NUM = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** a number option's value, checked against its type and range */
export function numberArg(name: string, text: string, o: { type: "number" | "int"; min?: number; max?: number }): number {
  const kind = o.type === "int" ? "an integer" : "a number";
  const range = o.min !== undefined && o.max !== undefined ? ` from ${o.min} to ${o.max}`
    : o.min !== undefined ? ` >= ${o.min}` : o.max !== undefined ? ` <= ${o.max}` : "";
  const n = Number(text);
  if (!(o.type === "int" ? INT : NUM).test(text.trim()) || !Number.isFinite(n) || (o.min !== undefined && n < o.min) ||
    (o.max !== undefined && n > o.max)) {
    throw new UsageError(`${name} needs ${kind}${range}, got '${text}'`);
  }
  return n;
}

/** util.parseArgs' messages, shortened to one line */
function plain(e: any): string {
  const msg = String(e && e.message || e);
  let m: RegExpExecArray | null;
  if ((m = /^Unknown option '([^']+)'/.exec(msg))) return `unknown option '${m[1]}'`;
  if ((m = /^Option '(\S+)(?: <value>)?' argument missing/.exec(msg))) return `${m[1]} needs a value`;
  if ((m = /^Option '(\S+)' argument is ambiguous/.exec(msg))) return `${m[1]} needs a value (write ${m[1]}=-X for a value starting with '-')`;
  if ((m = /^Option '(\S+)' does not take an argument/.exec(msg))) return `${m[1]} takes no value`;
  if ((m = /^Unexpected argument '([^']*)'/.exec(msg))) return `unexpected argument '${m[1]}'`;
  return msg.split("\n")[0]!;
}

/** parses `args` against `spec`; throws UsageError on any problem */
export function parseOptions<S extends Spec>(args: string[], spec: S, pos: PositionalSpec = { max: 0 }): Parsed<S> {
  const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  for (const [k, o] of Object.entries(spec)) {
    options[k] = { type: o.type === "boolean" ? "boolean" : "string", multiple: !!o.multiple };
    if (o.short) options[k]!.short = o.short;
  }
  let raw: { values: Record<string, unknown>; positionals: string[] };
  try {
    raw = nodeParseArgs({ args, options, strict: true, allowPositionals: true }) as any;
  } catch (e) {
    if (!/^ERR_PARSE_ARGS_/.test(String((e as NodeJS.ErrnoException).code))) throw e;
    throw new UsageError(plain(e));
  }
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw.values)) {
    const o = spec[k]!;
    const one = (text: string): unknown => {
      if (o.type === "number" || o.type === "int") return numberArg("--" + k, text, o as any);
      if (o.type === "string" && o.choices && !o.choices.includes(text)) {
        throw new UsageError(`--${k} must be one of ${o.choices.join(", ")}, got '${text}'`);
      }
      if (o.type === "string" && text === "") throw new UsageError(`--${k} needs a value`);
      return text;
    };
    if (o.type === "boolean") values[k] = v;
    else values[k] = Array.isArray(v) ? v.map((x) => one(String(x))) : one(String(v));
  }
  const p = raw.positionals;
  const what = pos.name ?? "argument";
  if (pos.max !== undefined && p.length > pos.max) {
    throw new UsageError(pos.max === 0 ? `unexpected argument '${p[0]}'` : `too many arguments (at most ${pos.max} ${what}), got '${p.slice(pos.max).join(" ")}'`);
  }
  if (pos.min !== undefined && p.length < pos.min) throw new UsageError(`missing ${what}`);
  return { values: values as Values<S>, positionals: p };
}

/** for an output directory option: the existing non-directory at `dir` or at its nearest
 *  existing ancestor (which would make creating the directory fail), or null */
export function fileInTheWay(dir: string): string | null {
  let d = path.resolve(dir);
  while (!fs.existsSync(d) && path.dirname(d) !== d) d = path.dirname(d);
  if (fs.statSync(d).isDirectory()) return null;
  const rel = path.relative(process.cwd(), d);
  return rel && !rel.startsWith("..") ? rel : d;
}

/** true when the arguments ask for help (-h / --help before any `--`) */
export function wantsHelp(args: string[]): boolean {
  for (const a of args) {
    if (a === "--") return false;
    if (a === "--help" || a === "-h") return true;
  }
  return false;
}

/**
 * For a command's run(): --help prints `help` and gives exit code 0; a usage problem prints
 * `<prog>: <problem>` and the help on stderr and gives 2; otherwise the parsed arguments.
 */
export function cliArgs<S extends Spec>(prog: string, args: string[], spec: S, help: string, pos?: PositionalSpec,
  check?: (p: Parsed<S>) => void): Parsed<S> | number {
  if (wantsHelp(args)) { console.log(help); return 0; }
  try {
    const p = parseOptions(args, spec, pos);
    if (check) check(p);
    return p;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${prog}: ${e.message}\n${help}`);
    return 2;
  }
}
