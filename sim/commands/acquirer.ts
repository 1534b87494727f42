// pos-sim acquirer --port <n> [--host 127.0.0.1]: the acquirer simulator on a real TCP socket.
import { Acquirer, DeclineRule, FaultKind } from "../acquirer/acquirer";
import { cliArgs, parseOptions, UsageError } from "../cli-args";
import { serveTcp } from "../acquirer/tcp";

export const summary = "run the acquirer simulator on TCP (--port N [--host 127.0.0.1])";

const USAGE = `usage: pos-sim acquirer --port <n> [--host 127.0.0.1] [--decline <suffix>:<rc>]... [--fault <mti>:<kind>[:<n>]]...
  --decline 51:51     amounts ending in 51 are declined with RC 51 (the default rule)
  --fault 0200:noResponse:2   the next 2 sale/void/refund requests get no reply
  fault kinds: noResponse drop late garbled disconnectMid duplicate badMac rc=<RC>
The ledger and its violations are printed on Ctrl-C; every check is logged as it happens.
Each terminal health report (0800, DE 70 801) prints that terminal's health table as it
arrives; all terminals' tables are printed again on Ctrl-C (docs/health.md).`;

type Parsed = { port: number; host: string; declines: DeclineRule[]; faults: { mti: string; fault: FaultKind; rc?: string; count: number }[] };
const SPEC = {
  port: { type: "int", min: 1, max: 65535 }, host: { type: "string" },
  decline: { type: "string", multiple: true }, fault: { type: "string", multiple: true },
} as const;

/** the options, or what is wrong with them */
export function parseArgs(args: string[]): Parsed | string {
  try { return check(parseOptions(args, SPEC)); } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
}

function check(p: { values: { port?: number; host?: string; decline?: string[]; fault?: string[] } }): Parsed {
  const declines: DeclineRule[] = [];
  const faults: Parsed["faults"] = [];
  const kinds = ["noResponse", "drop", "late", "garbled", "disconnectMid", "duplicate", "badMac"];
  for (const v of p.values.decline ?? []) {
    const [suffix, rc, extra] = v.split(":");
    if (!suffix || !/^\d+$/.test(suffix) || !rc || rc.length !== 2 || extra !== undefined) throw new UsageError(`--decline wants <digits>:<2-char RC>, got '${v}'`);
    declines.push({ endsWith: suffix, rc });
  }
  for (const v of p.values.fault ?? []) {
    const [mti, kind, n, extra] = v.split(":");
    const count = n === undefined ? 1 : /^\d+$/.test(n) ? Number(n) : NaN;
    if (!mti || !/^\d{4}$/.test(mti) || !kind || !(count >= 1) || extra !== undefined) throw new UsageError(`--fault wants <mti>:<kind>[:<n>], got '${v}'`);
    if (kind.startsWith("rc=") && kind.length === 5) faults.push({ mti, fault: "rc", rc: kind.slice(3), count });
    else if (kinds.includes(kind)) faults.push({ mti, fault: kind as FaultKind, count });
    else throw new UsageError(`unknown fault kind '${kind}' (kinds: ${kinds.join(" ")} rc=<RC>)`);
  }
  if (p.values.port === undefined) throw new UsageError("--port <1..65535> is required");
  return { port: p.values.port, host: p.values.host ?? "127.0.0.1", declines, faults };
}

export async function run(args: string[]): Promise<number> {
  const c = cliArgs("pos-sim acquirer", args, SPEC, USAGE, { max: 0 }, (x) => { check(x); });
  if (typeof c === "number") return c;
  const p = check(c);
  const acq = new Acquirer({ declineRules: p.declines.length ? p.declines : undefined, log: (l) => console.log(l),
    onHealth: (_tid, table) => console.log(table) });
  for (const f of p.faults) acq.inject({ mti: f.mti, fault: f.fault, rc: f.rc, count: f.count });
  try {
    await serveTcp(acq, p.port, p.host, (l) => console.log(l));
  } catch (e) {
    console.error(`pos-sim acquirer: cannot listen on ${p.host}:${p.port}: ${(e as Error).message}`);
    return 1;
  }
  console.log(`acquirer simulator listening on ${p.host}:${p.port} (Ctrl-C to stop)`);
  const report = () => {
    for (const tid of acq.tids()) {
      const l = acq.ledger(tid);
      console.log(`TID ${tid}: batch ${l.batch}, ${l.charges.length} live charges, ${l.reversed} reversed, ` +
        `${l.doubleCharges} double charges, ${l.violations.length} violations`);
      for (const v of l.violations) console.log(`  ${v.type} STAN ${v.stan}: ${v.detail}`);
    }
    if (acq.health.tids().length) console.log(acq.health.tables());
  };
  return await new Promise<number>((resolve) => {
    process.once("SIGINT", () => { report(); resolve(0); process.exit(0); });
  });
}
