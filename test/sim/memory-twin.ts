// The memory model's calibration cases and the ESP32 twin (../shared/espruino-twin): each
// case is a bundle booted from Storage and sampled SECONDS after boot on both sides. The twin's
// figures are pinned in test/fixtures/memory/twin-figures.json by `make memory-fixtures`
// (this file run as a script) so the model is still checked where there is no twin; with the
// twin present the test measures again instead. The firmware changes often, so the fixture
// keeps a copy of the bundle it measured (firmware.js) for machines without the twin.
import { execFile, spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { createWorld } from "../../sim/harness";

export const ROOT = path.resolve(__dirname, "..", "..");
export const FIXTURES = path.join(ROOT, "test", "fixtures", "memory");
export const FIGURES = path.join(FIXTURES, "twin-figures.json");
export const TWIN = path.resolve(ROOT, "..", "shared", "espruino-twin", "twin");
export const BOARD = "pos-esp32-v1";
export const SECONDS = 8;

/** the journal region (boards/pos-esp32-v1.json flashRegions.journal) */
const JOURNAL_BASE = JSON.parse(fs.readFileSync(path.join(ROOT, "boards", BOARD + ".json"), "utf8")).flashRegions.journal.base as number;
/** a journal image of 100 settled sales and 40 open ones, made by `pos-sim journal-image`
 *  (make memory-fixtures); both sides boot the firmware over it */
export const JOURNAL_IMAGE = path.join(FIXTURES, "journal-140.bin");

export interface Case { name: string; bundle: string; what: string; image?: { file: string; base: number } }
/** the compiled firmware at idle on a blank journal and on a journal of 140 sales, and crafted
 *  bundles that hold more data */
export function cases(firmware = path.join(ROOT, "dist", BOARD, "firmware.js")): Case[] {
  return [
    { name: "firmware", bundle: firmware, what: "the firmware at idle (READY), blank journal" },
    { name: "firmware-journal", bundle: firmware, what: "the firmware at idle over a journal of 140 sales (40 open)", image: { file: JOURNAL_IMAGE, base: JOURNAL_BASE } },
    { name: "functions", bundle: path.join(FIXTURES, "functions.js"), what: "function and scope costs by depth" },
    { name: "records", bundle: path.join(FIXTURES, "records.js"), what: "120 records with a prototype, a factory store, typed arrays, timers" },
    { name: "closures", bundle: path.join(FIXTURES, "closures.js"), what: "factory closures, a class iife, tables, a long string" },
  ];
}

export interface Figure { usage: number; sha256: string; file: string }
export interface Figures { twin: string; seconds: number; measured: string; cases: Record<string, Figure> }

export function sha256(file: string): string {
  return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** the twin is installed (SIM_TWIN=0 makes the test use the pinned figures anyway) */
export function twinPresent(): boolean { return process.env.SIM_TWIN !== "0" && fs.existsSync(TWIN); }

/** the twin's `jsvars used` SECONDS after booting the bundle from Storage */
export function twinUsage(bundle: string, seconds = SECONDS, image?: Case["image"]): Promise<number> {
  const extra = image ? ["--image", `${image.file}@0x${image.base.toString(16)}`] : [];
  return new Promise((resolve, reject) => {
    execFile(TWIN, ["--seconds", String(seconds), ...extra, bundle], { timeout: 240000, maxBuffer: 16 << 20 }, (err, stdout) => {
      const m = /twin: jsvars used (\d+) of/.exec(String(stdout));
      if (m) resolve(Number(m[1]));
      else reject(new Error(`twin on ${bundle}: ${err ? err.message : "no memory line"}\n${String(stdout).slice(-600)}`));
    });
  });
}

/** the simulator's estimate SECONDS after boot (process.memory(false)) */
export function simUsage(bundle: string, seconds = SECONDS, image?: Case["image"]): { usage: number; parts: Record<string, number> } {
  const flashImage = image ? { [image.base]: new Uint8Array(fs.readFileSync(image.file)) } : undefined;
  const w = createWorld({ board: BOARD, bundle, flashImage });
  if (w.loadError) throw new Error(`${bundle}: ${w.loadError}`);
  w.run(seconds);
  const m = w.mcu.memory!.report(true);
  return { usage: m.usage, parts: m.parts };
}

export function readFigures(): Figures | null {
  return fs.existsSync(FIGURES) ? JSON.parse(fs.readFileSync(FIGURES, "utf8")) as Figures : null;
}

/** `make memory-fixtures`: measure every case on the twin and pin the figures */
async function main(): Promise<void> {
  if (!twinPresent()) { console.error(`no twin at ${TWIN}`); process.exit(2); }
  const list = cases();
  const made = spawnSync(process.execPath, [require.resolve("tsx/cli"), path.join(ROOT, "sim", "cli.ts"), "journal-image",
    "--sales", "40", "--settled", "100", "--board", BOARD, JOURNAL_IMAGE], { encoding: "utf8" });
  if (made.status !== 0) throw new Error("pos-sim journal-image failed: " + made.stderr + made.stdout);
  const out: Figures = { twin: "Espruino 2v29 ESP32 twin (../shared/espruino-twin), boot code from Storage", seconds: SECONDS, measured: new Date().toISOString().slice(0, 10), cases: {} };
  const usages = await Promise.all(list.map((c) => twinUsage(c.bundle, SECONDS, c.image)));
  list.forEach((c, i) => {
    let file = path.relative(ROOT, c.bundle);
    if (c.name.startsWith("firmware")) {
      // the firmware moves on: keep the bundle that was measured
      fs.copyFileSync(c.bundle, path.join(FIXTURES, "firmware.js"));
      file = path.relative(ROOT, path.join(FIXTURES, "firmware.js"));
    }
    out.cases[c.name] = { usage: usages[i]!, sha256: sha256(c.bundle), file };
    console.log(`${c.name}: ${usages[i]} JsVars on the twin (${file})`);
  });
  fs.writeFileSync(FIGURES, JSON.stringify(out, null, 2) + "\n");
  console.log(`wrote ${path.relative(ROOT, FIGURES)}`);
}

if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
