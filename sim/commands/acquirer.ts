// pos-sim acquirer --port <n> [--host 127.0.0.1] [--tls [--cert F --key F]]: the acquirer
// simulator on a real TCP socket, or TLS with the TEST ONLY certificate (or yours).
import * as fs from "fs";
import { Acquirer, DeclineRule, FaultKind } from "../acquirer/acquirer";
import { cliArgs, parseOptions, UsageError } from "../cli-args";
import { serveTcp } from "../acquirer/tcp";
import { testServerCredentials, TEST_CERTS_DIR, TlsCredentials } from "../bus/tls";

export const summary = "run the acquirer simulator on TCP or TLS (--port N [--host 127.0.0.1] [--tls])";

const USAGE = `usage: pos-sim acquirer --port <n> [--host 127.0.0.1] [--tls [--cert server.pem --key server.key]] [--decline <suffix>:<rc>]... [--fault <mti>:<kind>[:<n>]]...
  --tls               serve TLS; without --cert/--key with the TEST ONLY certificate of
                      sim/acquirer/test-certs (terminals trust its ca.der: never in production)
  --decline 51:51     amounts ending in 51 are declined with RC 51 (the default rule)
  --fault 0200:noResponse:2   the next 2 sale/void/refund requests get no reply
  fault kinds: noResponse drop late garbled disconnectMid duplicate badMac rc=<RC>
The ledger and its violations are printed on Ctrl-C; every check is logged as it happens.
Each terminal health report (0800, DE 70 801) prints that terminal's health table as it
arrives; all terminals' tables are printed again on Ctrl-C (docs/health.md).`;

type Parsed = { port: number; host: string; declines: DeclineRule[]; faults: { mti: string; fault: FaultKind; rc?: string; count: number }[];
  tls: TlsCredentials | null; testCert: boolean };
const SPEC = {
  port: { type: "int", min: 1, max: 65535 }, host: { type: "string" },
  tls: { type: "boolean" }, cert: { type: "string" }, key: { type: "string" },
  decline: { type: "string", multiple: true }, fault: { type: "string", multiple: true },
} as const;

/** the options, or what is wrong with them */
export function parseArgs(args: string[]): Parsed | string {
  try { return check(parseOptions(args, SPEC)); } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
}

function check(p: { values: { port?: number; host?: string; decline?: string[]; fault?: string[]; tls?: boolean; cert?: string; key?: string } }): Parsed {
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
  const { tls, cert, key } = p.values;
  if ((cert !== undefined || key !== undefined) && !tls) throw new UsageError("--cert and --key need --tls");
  if ((cert === undefined) !== (key === undefined)) throw new UsageError("--cert and --key go together");
  let creds: TlsCredentials | null = null;
  if (tls && cert !== undefined && key !== undefined) {
    const read = (f: string, what: string) => {
      let t: string;
      try { t = fs.readFileSync(f, "utf8"); } catch (e) { throw new UsageError(`cannot read --${what} ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
      if (!t.includes("-----BEGIN")) throw new UsageError(`--${what} ${f}: not a PEM file`);
      return t;
    };
    creds = { cert: read(cert, "cert"), key: read(key, "key") };
  } else if (tls) creds = testServerCredentials();
  return { port: p.values.port, host: p.values.host ?? "127.0.0.1", declines, faults, tls: creds, testCert: !!tls && cert === undefined };
}

export async function run(args: string[]): Promise<number> {
  const c = cliArgs("pos-sim acquirer", args, SPEC, USAGE, { max: 0 }, (x) => { check(x); });
  if (typeof c === "number") return c;
  const p = check(c);
  const acq = new Acquirer({ declineRules: p.declines.length ? p.declines : undefined, log: (l) => console.log(l),
    onHealth: (_tid, table) => console.log(table) });
  for (const f of p.faults) acq.inject({ mti: f.mti, fault: f.fault, rc: f.rc, count: f.count });
  try {
    await serveTcp(acq, p.port, p.host, (l) => console.log(l), p.tls ?? undefined);
  } catch (e) {
    console.error(`pos-sim acquirer: cannot ${p.tls ? "serve TLS" : "listen"} on ${p.host}:${p.port}: ${(e as Error).message}`);
    return 1;
  }
  console.log(`acquirer simulator listening on ${p.host}:${p.port}${p.tls ? " (TLS)" : ""} (Ctrl-C to stop)`);
  if (p.testCert) console.log(`TLS with the TEST ONLY certificate: terminals trust ${TEST_CERTS_DIR}/ca.der (Storage file acq-ca.der)`);
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
