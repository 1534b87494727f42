// pos-sim acquirer --port <n> [--host 127.0.0.1]: the acquirer simulator on a real TCP socket.
import { Acquirer, DeclineRule, FaultKind } from "../acquirer/acquirer";
import { serveTcp } from "../acquirer/tcp";

export const summary = "run the acquirer simulator on TCP (--port N [--host 127.0.0.1])";

const USAGE = `usage: pos-sim acquirer --port <n> [--host 127.0.0.1] [--decline <suffix>:<rc>]... [--fault <mti>:<kind>[:<n>]]...
  --decline 51:51     amounts ending in 51 are declined with RC 51 (the default rule)
  --fault 0200:noResponse:2   the next 2 sale/void/refund requests get no reply
  fault kinds: noResponse drop late garbled disconnectMid duplicate rc=<RC>
The ledger and its violations are printed on Ctrl-C; every check is logged as it happens.`;

export function parseArgs(args: string[]): { port: number; host: string; declines: DeclineRule[]; faults: { mti: string; fault: FaultKind; rc?: string; count: number }[] } | string {
  let port = NaN, host = "127.0.0.1";
  const declines: DeclineRule[] = [];
  const faults: { mti: string; fault: FaultKind; rc?: string; count: number }[] = [];
  const kinds = ["noResponse", "drop", "late", "garbled", "disconnectMid", "duplicate"];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!, v = args[i + 1];
    if (a === "--port") { port = Number(v); i++; }
    else if (a === "--host") { if (!v) return "--host needs a value"; host = v; i++; }
    else if (a === "--decline") {
      const [suffix, rc] = String(v).split(":");
      if (!suffix || !/^\d+$/.test(suffix) || !rc || rc.length !== 2) return `--decline wants <digits>:<2-char RC>, got '${v}'`;
      declines.push({ endsWith: suffix, rc }); i++;
    } else if (a === "--fault") {
      const [mti, kind, n] = String(v).split(":");
      const count = n === undefined ? 1 : Number(n);
      if (!mti || !/^\d{4}$/.test(mti) || !kind || !Number.isInteger(count) || count < 1) return `--fault wants <mti>:<kind>[:<n>], got '${v}'`;
      if (kind.startsWith("rc=")) faults.push({ mti, fault: "rc", rc: kind.slice(3), count });
      else if (kinds.includes(kind)) faults.push({ mti, fault: kind as FaultKind, count });
      else return `unknown fault kind '${kind}'`;
      i++;
    } else return `unknown option '${a}'`;
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) return "--port <1..65535> is required";
  return { port, host, declines, faults };
}

export async function run(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) { console.log(USAGE); return 0; }
  const p = parseArgs(args);
  if (typeof p === "string") { console.error("acquirer: " + p + "\n\n" + USAGE); return 2; }
  const acq = new Acquirer({ declineRules: p.declines.length ? p.declines : undefined, log: (l) => console.log(l) });
  for (const f of p.faults) acq.inject({ mti: f.mti, fault: f.fault, rc: f.rc, count: f.count });
  try {
    await serveTcp(acq, p.port, p.host, (l) => console.log(l));
  } catch (e) {
    console.error(`acquirer: cannot listen on ${p.host}:${p.port}: ${(e as Error).message}`);
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
  };
  return await new Promise<number>((resolve) => {
    process.once("SIGINT", () => { report(); resolve(0); process.exit(0); });
  });
}
