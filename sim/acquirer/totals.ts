// Settlement totals in DE 63 (docs/host-protocol.md §1.3), the acquirer's own reading of them:
// sale count (3) + sale amount (12) + refund count (3) + refund amount (12), right padded with
// '0' to 90 characters. Amounts in minor units.
import { zeroPad } from "./iso8583";

export interface Totals { saleCount: number; saleAmount: number; refundCount: number; refundAmount: number; }

export const TOTALS_LENGTH = 90;
const LAYOUT: [keyof Totals, number][] = [["saleCount", 3], ["saleAmount", 12], ["refundCount", 3], ["refundAmount", 12]];

export function emptyTotals(): Totals { return { saleCount: 0, saleAmount: 0, refundCount: 0, refundAmount: 0 }; }

/** DE 63 text; throws RangeError when a figure does not fit its digits */
export function formatTotals(t: Totals): string {
  return LAYOUT.map(([k, w]) => zeroPad(t[k], w)).join("").padEnd(TOTALS_LENGTH, "0");
}

/** DE 63 text -> totals; throws an Error saying what is wrong with it */
export function parseTotals(s: string): Totals {
  if (s.length !== TOTALS_LENGTH) throw new Error(`DE 63 totals: ${s.length} characters, expected ${TOTALS_LENGTH}`);
  if (!/^\d+$/.test(s)) throw new Error("DE 63 totals: not all digits");
  const t = emptyTotals();
  let at = 0;
  for (const [k, w] of LAYOUT) { t[k] = Number(s.slice(at, at + w)); at += w; }
  if (!/^0*$/.test(s.slice(at))) throw new Error(`DE 63 totals: padding after ${at} characters is not '0'`);
  return t;
}

export function sameTotals(a: Totals, b: Totals): boolean {
  return LAYOUT.every(([k]) => a[k] === b[k]);
}
