import { RawMap } from "./compile";
export interface GateResult { errors: string[]; warnings: string[]; bytes: number; lines: number; functions: number }
export function gate(code: string, opts: { map?: RawMap; budget?: number } = {}): GateResult {
  return { errors: [], warnings: [], bytes: Buffer.byteLength(code), lines: code.split("\n").length, functions: 0 };
}
