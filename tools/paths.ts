// Where things live. Every toolchain module resolves paths from the repository root so the
// build works from any working directory.
import * as path from "path";

export const ROOT = path.resolve(__dirname, "..");
export const BOARDS_DIR = path.join(ROOT, "boards");
export const DIST_DIR = path.join(ROOT, "dist");
export const GEN_DIR = path.join(ROOT, "build", "gen");
export const TSLIB_ESPRUINO = path.join(__dirname, "tslib-espruino.js");
export const FIRMWARE_ENTRY = path.join(ROOT, "firmware", "main.ts");
/** the device memory bench (dist/<board>/memtest.js, docs/journal.md "Device memory") */
export const MEMTEST_ENTRY = path.join(ROOT, "firmware", "memtest", "memtest.ts");
/** the boot loader written as .bootcde: picks and checks a firmware slot (docs/update.md) */
export const LOADER_ENTRY = path.join(ROOT, "firmware", "update", "loader.ts");
export const PROBES_DIR = path.join(ROOT, "firmware", "probes");

/** repository-relative path with forward slashes, for messages and source maps */
export function rel(file: string): string {
  return path.relative(ROOT, file).split(path.sep).join("/");
}

export function distDir(board: string): string {
  return path.join(DIST_DIR, board);
}
