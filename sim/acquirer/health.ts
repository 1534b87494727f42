// The terminal health report (0800, DE 70 = 801, DE 48; docs/health.md), the acquirer's side.
// Written from the document, not from firmware/health: DE 48 is "H1" then items of a 2-character
// tag, a 2-digit length and that many characters. Counters are decimal; FW is text.

/** DE 70 network management information code of a health report */
export const NMI_HEALTH = "801";

/** the tags, their column headings and meaning, in the order the table shows them */
export const HEALTH_TAGS: readonly (readonly [tag: string, column: string, meaning: string])[] = [
  ["BT", "boots", "boots"],
  ["CR", "cuts", "power cuts recovered by the journal"],
  ["SK", "skipped", "serial numbers skipped by recovery"],
  ["HT", "timeouts", "host timeouts (sent, no response)"],
  ["RV", "reversals", "reversals (0400) sent"],
  ["PO", "paperOut", "paper-outs"],
  ["LF", "lowFree", "lowest free JsVars seen"],
  ["SP", "swParity", "swipe errors: parity"],
  ["SL", "swLrc", "swipe errors: LRC"],
  ["SN", "swNoData", "swipe errors: no data / no sentinel"],
  ["SO", "swLong", "swipe errors: too long / overflow"],
  ["SF", "swFormat", "swipe errors: bad fields"],
  ["TF", "tapFault", "tap: reader fault"],
  ["TE", "tapError", "tap: card read failed"],
  ["JE", "jMaxErase", "journal: most erases of one sector"],
  ["JT", "jErases", "journal: erases of all sectors"],
  ["HE", "hErases", "health region: erases"],
  ["SQ", "record", "health record sequence"],
  ["FW", "firmware", "firmware version"],
];

export interface HealthReport {
  /** tag -> value as sent (counters are digit strings) */
  figures: Record<string, string>;
}

/** Parses DE 48; throws an Error saying what is wrong. Unknown tags are kept; a counter tag
 *  must be digits; a tag may not repeat. */
export function decodeHealth(de48: string): HealthReport {
  if (de48.slice(0, 2) !== "H1") throw new Error(`health DE 48: starts '${de48.slice(0, 2)}', expected 'H1'`);
  const figures: Record<string, string> = {};
  let at = 2;
  while (at < de48.length) {
    if (at + 4 > de48.length) throw new Error(`health DE 48: item at ${at} truncated`);
    const tag = de48.slice(at, at + 2), len = de48.slice(at + 2, at + 4);
    if (!/^[A-Z0-9]{2}$/.test(tag)) throw new Error(`health DE 48: bad tag '${tag}' at ${at}`);
    if (!/^\d\d$/.test(len)) throw new Error(`health DE 48: bad length '${len}' for ${tag}`);
    const n = Number(len);
    if (at + 4 + n > de48.length) throw new Error(`health DE 48: ${tag} wants ${n} characters, ${de48.length - at - 4} left`);
    const v = de48.slice(at + 4, at + 4 + n);
    if (tag in figures) throw new Error(`health DE 48: ${tag} twice`);
    if (tag !== "FW" && !/^\d+$/.test(v)) throw new Error(`health DE 48: ${tag} is not a number: '${v}'`);
    figures[tag] = v;
    at += 4 + n;
  }
  if (!("BT" in figures)) throw new Error("health DE 48: no BT (boots)");
  return { figures };
}

/** One table per terminal: a row per figure (tag, meaning, value), then when it came. */
export function healthTable(tid: string, r: HealthReport, received: number, at: string): string {
  const rows: string[][] = [];
  const known = new Set(HEALTH_TAGS.map((t) => t[0]));
  for (const [tag, , meaning] of HEALTH_TAGS) rows.push([tag, meaning, r.figures[tag] ?? "-"]);
  for (const tag of Object.keys(r.figures)) if (!known.has(tag)) rows.push([tag, "(unknown tag)", r.figures[tag]!]);
  const w0 = Math.max(...rows.map((x) => x[1]!.length));
  const lines = [`health of TID ${tid} (report ${received}, ${at})`];
  for (const [tag, meaning, v] of rows) lines.push(`  ${tag}  ${meaning!.padEnd(w0)}  ${v!.padStart(10)}`);
  return lines.join("\n");
}

/** The latest health report of each terminal, as the acquirer collects them. */
export class HealthBook {
  private byTid = new Map<string, { report: HealthReport; received: number; at: string }>();
  /** bad health messages (answered 30) */
  readonly errors: string[] = [];

  constructor(private onReport?: (tid: string, table: string) => void) {}

  /** an 0800: a health report when DE 70 says so (collected, RC stays 00; a bad DE 48 is RC
   *  30 and nothing is kept); any other 0800 is not looked at. Returns the RC to answer. */
  take(tid: string, de70: unknown, de48: unknown, log: (line: string) => void): string {
    if (de70 !== NMI_HEALTH) return "00";
    let report: HealthReport;
    try { report = decodeHealth(typeof de48 === "string" ? de48 : ""); } catch (e) {
      const why = (e as Error).message;
      this.errors.push(`${tid}: ${why}`);
      log(`acquirer: ${tid} health report refused: ${why}: 30`);
      return "30";
    }
    const prev = this.byTid.get(tid);
    const entry = { report, received: (prev?.received ?? 0) + 1, at: new Date().toISOString() };
    this.byTid.set(tid, entry);
    log(`acquirer: ${tid} health report ${entry.received}: boots ${report.figures.BT}, cuts ${report.figures.CR ?? "-"}, ` +
      `timeouts ${report.figures.HT ?? "-"}, paper-outs ${report.figures.PO ?? "-"}`);
    this.onReport?.(tid, healthTable(tid, report, entry.received, entry.at));
    return "00";
  }

  /** the latest report's figures of a terminal (tag -> value), or undefined */
  latest(tid: string): Record<string, string> | undefined { return this.byTid.get(tid)?.report.figures; }
  received(tid: string): number { return this.byTid.get(tid)?.received ?? 0; }
  tids(): string[] { return [...this.byTid.keys()]; }
  /** every terminal's table, one after the other */
  tables(): string {
    return this.tids().map((t) => { const e = this.byTid.get(t)!; return healthTable(t, e.report, e.received, e.at); }).join("\n");
  }
}
