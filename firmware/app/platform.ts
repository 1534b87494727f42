// Boot check of the interpreter and the flash map against the board file the bundle was built
// for: an interpreter older than board.mcu.espruino, or a journal region that is not raw flash
// (outside every require("Flash").getFree() area, or overlapping Storage, where the boot code
// lives) would make the journal's promises void. Pure: main.ts passes process.version and
// getFree(); make flash runs the same checks from the host (tools/flash.ts).
import { Board } from "../../boards/types";

/** "2v29" or "2v29.277" as 2029; NaN when it is not an Espruino version */
export function versionNumber(v: string): number {
  var i = v.indexOf("v");
  if (i < 1) return NaN;
  var major = parseInt(v.substring(0, i), 10), minor = parseInt(v.substring(i + 1), 10);
  return major * 1000 + minor;
}

/** "" when the platform fits the board file, else one short line saying what does not */
export function platformFault(board: Board, version: string, free: { addr: number; length: number }[]): string {
  var have = versionNumber(version);
  if (!(have >= versionNumber(board.mcu.espruino))) return "Espruino " + version + " < " + board.mcu.espruino;
  var j = board.flashRegions.journal, s = board.partitions.storage;
  var end = j.base + j.sectors * j.sectorSize;
  if (j.base < s.base + s.size && end > s.base) return "journal in Storage";
  for (var i = 0; i < free.length; i++) if (j.base >= free[i]!.addr && end <= free[i]!.addr + free[i]!.length) return "";
  return "journal not raw flash";
}
