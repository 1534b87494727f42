// make flash / make flash-dry: put the firmware on the board in the update-ready layout
// (docs/update.md: loader.js as .bootcde, firmware.js as Storage slot fw.a, the boot control
// reset), or a bring-up probe as .bootcde alone, checked at every step.
//
// 1. The upload text is made offline by the espruino CLI (see ../shared/espruino.md section 8:
//    a local board description with binary_version, --storage NAME:-, no CLI minification), run
//    once per file, and rewritten to one statement per line. The firmware:
//      reset()
//      erase fw.b, fw.a and .bootcde from Storage (a stale slot is never booted, and the old
//        files become trash), then Storage.compact() (the trash of earlier updates and reflashes
//        is reclaimed: the room for about five updates between reflashes; other files such as
//        a provisioned acq-ca.der are kept)
//      the CLI's Storage.write chunks of fw.a, then its read-back (length, E.CRC32)
//      the CLI's Storage.write chunks of .bootcde (the loader), then its read-back
//      Flash.erasePage of each sector of the board's `boot` region (boot control: which slot,
//        trial state), then a read-back that they are blank: the loader then boots fw.a and
//        records it as the confirmed slot ("loader: no boot control: recorded slot 0")
//      load()
//    A probe (a bench tool): reset(), the chunks of .bootcde, its read-back, load(); fw.a, fw.b
//    and the boot region are left as they are (make flash puts the terminal back).
//    load() has no argument: it runs .bootcde and then onInit, as a power-up does (the CLI's
//    load(".bootcde") evaluates the code after init, so onInit never runs).
//    `make flash-dry` writes exactly this to dist/<board>/upload.js.
// 2. `make flash` types that text line by line into the board's console through a BoardLink
//    (a serial port here; the ESP32 twin in the tests), after asking the board what it is:
//    no answer, a board that is not Espruino, an interpreter older than the board file's
//    mcu.espruino, or a flash layout that differs from the board file is a one-line error and
//    exit 1 before anything is written. Each chunk must answer =true; each read-back must match
//    its file's length and CRC-32 and the boot region must read back blank before load()
//    starts the terminal; the start must print the firmware's banner (and, through the loader,
//    its "recorded slot 0" note) or, for a probe, no Uncaught error.
//   tsx tools/flash.ts --board NAME --port /dev/ttyUSB0 [--baud 115200] [--file F.js]
//   tsx tools/flash.ts --board NAME --dry-run OUT.js [--file F.js]
import * as acorn from "acorn";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import type { Board } from "../boards/types";
import { BoardError, loadBoardFile } from "./board";
import { BOARDS_DIR, ROOT, distDir, rel } from "./paths";

const hex = (n: number) => "0x" + n.toString(16).toUpperCase();

export const CLI = path.join(ROOT, "node_modules", ".bin", "espruino");
export const CLI_BOARD = path.join(BOARDS_DIR, "esp32-cli.json");
export const BOOT_FILE = ".bootcde";
/** the firmware's slots (firmware/update/bootctl.ts Slot.A / Slot.B; tools/ does not import
 *  firmware/, test/toolchain/flash.test.ts checks they agree) */
export const SLOT_A = "fw.a";
export const SLOT_B = "fw.b";
/** what a firmware upload erases from Storage before it writes: the stale slot first */
export const ERASED_FILES = [SLOT_B, SLOT_A, BOOT_FILE];
export const COMPACT_LINE = 'require("Storage").compact()';
/** the read-back line of a stored file: prints FLASH-CRC <name> <length> <crc32> (or none) */
export function verifyLine(file: string): string {
  const n = JSON.stringify(file);
  return 'print("FLASH"+"-CRC",' + n + ',(function(f){return f?f.length+" "+E.CRC32(f):"none"})(require("Storage").read(' + n + ')))';
}
/** the read-back of .bootcde */
export const VERIFY_LINE = verifyLine(BOOT_FILE);
export function eraseFileLine(file: string): string { return 'require("Storage").erase(' + JSON.stringify(file) + ")"; }
export function erasePageLine(addr: number): string { return 'require("Flash").erasePage(' + hex(addr) + ")"; }
export interface Region { base: number; sectors: number; sectorSize: number }
const sectorsOf = (r: Region) => Array.from({ length: r.sectors }, (_, i) => r.base + i * r.sectorSize);
/** the read-back of an erased region: prints FLASH-BLANK and each sector's E.CRC32 */
export function blankLine(r: Region): string {
  return 'print("FLASH"+"-BLANK",[' + sectorsOf(r).map(hex).join(",") + '].map(function(a){return E.CRC32(require("Flash").read(' + r.sectorSize + ',a))}).join(" "))';
}
/** the CRC-32 of an erased sector */
export const blankCrc = (size: number) => zlib.crc32(Buffer.alloc(size, 0xff)) >>> 0;
/** what the board is asked first: interpreter version and flash layout, one JSON line */
export const PROBE_LINE = 'print("FLASH"+"-ID",JSON.stringify({v:process.version,board:process.env.BOARD,flash:process.env.FLASH,storage:process.env.STORAGE,free:require("Flash").getFree()}))';
/** what the loader prints when it boots fw.a from an erased boot region (firmware/update/choose.ts) */
export const LOADER_NOTE = /loader: no boot control: recorded slot 0\r?\n/;

export interface FlashArgs { board: string; port?: string; dryRun?: string; baud: number; file?: string }

const USAGE = "usage: flash.ts --board NAME (--port DEVICE | --dry-run OUT.js) [--baud 115200] [--file dist/NAME/firmware.js]";

export function parseArgs(argv: string[]): FlashArgs | string {
  const a: FlashArgs = { board: "", baud: 115200 };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    const flag = argv[i];
    if (v === undefined || v.startsWith("--")) return "flash.ts: " + flag + " needs a value\n" + USAGE;
    if (flag === "--board") a.board = v;
    else if (flag === "--port") a.port = v;
    else if (flag === "--dry-run") a.dryRun = v;
    else if (flag === "--file") a.file = v;
    else if (flag === "--baud") {
      a.baud = Number(v);
      if (!Number.isInteger(a.baud) || a.baud < 300) return "flash.ts: --baud must be an integer baud rate, got " + v;
    } else return "flash.ts: unknown argument " + flag + "\n" + USAGE;
    i++;
  }
  if (!a.board) return "flash.ts: --board is required\n" + USAGE;
  if (!a.port && !a.dryRun) return "flash.ts: give --port DEVICE to flash, or --dry-run OUT.js to write the upload offline (no port given)\n" + USAGE;
  return a;
}

/** The CLI arguments that write the upload of one Storage file offline (-n -o); a port variant
 *  is kept for reference (the CLI reports a failed connection with exit 0, so flash.ts never
 *  uses it). */
export function cliArgs(bundle: string, target: { port?: string; out?: string }, baud: number, file = BOOT_FILE): string[] {
  const args = target.out ? ["-n", "-o", path.resolve(target.out)] : ["-p", target.port!, "-b", String(baud)];
  return args.concat([
    "--board", CLI_BOARD,
    "--no-ble",
    "--config", "MINIFICATION_LEVEL=",
    "--config", "MINIFICATION_Mangle=false",
    "--config", "PRETOKENISE=0",
    "--storage", file + ":-",
    path.resolve(bundle),
  ]);
}

/** The Storage.write statements of the CLI's upload, one per line (its reset() and load(...)
 *  are dropped). */
export function cliChunks(cliOutput: string): string[] {
  const ast: any = acorn.parse(cliOutput, { ecmaVersion: 5, sourceType: "script" });
  const lines: string[] = [];
  for (const st of ast.body) {
    const src = cliOutput.slice(st.start, st.end).replace(/;$/, "");
    if (/^load\(/.test(src) || /^reset\(/.test(src)) continue;
    if (src.indexOf("\n") >= 0) throw new Error("a statement of the CLI's upload spans lines: " + src.slice(0, 60));
    lines.push(src + ";");
  }
  return lines;
}

/** A probe's upload (one file, .bootcde): reset(), the chunks, the read-back, load(). */
export function makeUpload(cliOutput: string): string {
  return ["reset()"].concat(cliChunks(cliOutput), [VERIFY_LINE, "load()"]).join("\n") + "\n";
}

/** The firmware's upload (the update-ready layout, docs/update.md): reset(); erase fw.b, fw.a,
 *  .bootcde; compact; fw.a's chunks and read-back; the loader's chunks (.bootcde) and read-back;
 *  the boot region's sectors erased and read back blank; load(). */
export function makeFirmwareUpload(firmwareCli: string, loaderCli: string, boot: Region): string {
  return ["reset()"].concat(ERASED_FILES.map(eraseFileLine), [COMPACT_LINE],
    cliChunks(firmwareCli), [verifyLine(SLOT_A)],
    cliChunks(loaderCli), [VERIFY_LINE],
    sectorsOf(boot).map(erasePageLine), [blankLine(boot)], ["load()"]).join("\n") + "\n";
}

export interface UploadCheck {
  /** chunks and characters over all files */
  chunks: number; bytes: number;
  /** per Storage file written, in upload order */
  files: { name: string; chunks: number; bytes: number }[];
  problems: string[];
}

/** what the firmware layout needs besides the firmware: the loader's text and the boot region */
export interface Layout { loader: string; boot: Region }

/** Checks an upload script. A probe (no layout): reset(), Storage.write chunks of .bootcde that
 *  reassemble to the bundle at consecutive offsets (the first declaring the total size), the
 *  read-back line, then load() with no argument (a power-up start). The firmware (layout
 *  given): reset(); Storage.erase of fw.b, fw.a and .bootcde and a compact() before any write;
 *  the chunks of fw.a reassembling to the bundle, then its read-back; then the chunks of
 *  .bootcde reassembling to the loader, then its read-back; then erasePage of every sector of
 *  the boot region and the blank read-back; load() last. */
export function checkUpload(upload: string, bundle: string, layout?: Layout): UploadCheck {
  const problems: string[] = [];
  let ast: any;
  try {
    ast = acorn.parse(upload, { ecmaVersion: 5, sourceType: "script" });
  } catch (e) {
    return { chunks: 0, bytes: 0, files: [], problems: ["the upload does not parse as ES5: " + (e as Error).message] };
  }
  const want: Record<string, string> = layout ? { [SLOT_A]: bundle, [BOOT_FILE]: layout.loader } : { [BOOT_FILE]: bundle };
  const order = Object.keys(want);
  const text: Record<string, string> = {};
  const chunks: Record<string, number> = {};
  /** statement index of each event (-1: never) */
  const at: Record<string, number> = {};
  const seen = (k: string, i: number) => { if (!(k in at)) at[k] = i; };
  const last: Record<string, number> = {};
  const pages: number[] = [];
  const blank = layout ? blankLine(layout.boot) : "";
  let loaded = false;
  let i = -1;
  for (const st of ast.body) {
    i++;
    const call = st.type === "ExpressionStatement" && st.expression.type === "CallExpression" ? st.expression : null;
    const c = call && call.callee;
    const src = upload.slice(st.start, st.end).replace(/;$/, "");
    if (loaded) problems.push("statement after load(): " + src.slice(0, 60));
    const member = (mod: string, fn: string) => c && c.type === "MemberExpression" && c.property.name === fn && c.object.type === "CallExpression" &&
      c.object.callee.name === "require" && c.object.arguments[0]?.value === mod;
    if (member("Storage", "write")) {
      const [name, data, offset, total] = call.arguments;
      const n = name?.value;
      const k = Object.values(chunks).reduce((a, b) => a + b, 0);
      if (!(n in want)) { problems.push("chunk " + k + " writes " + JSON.stringify(n) + ", not " + order.join(" or ")); continue; }
      if (typeof data?.value !== "string") { problems.push("chunk " + k + " has no string data"); continue; }
      const cur = text[n] ?? "";
      if ((offset?.value ?? 0) !== cur.length) problems.push("chunk " + k + " (" + n + ") at offset " + offset?.value + ", expected " + cur.length);
      if (!cur.length && total && total.value !== want[n]!.length) problems.push(n + ": declared size " + total.value + " != " + (n === SLOT_A || !layout ? "bundle " : "loader ") + want[n]!.length);
      text[n] = cur + data.value;
      chunks[n] = (chunks[n] ?? 0) + 1;
      seen("write " + n, i);
      last["write " + n] = i;
    } else if (order.some((n) => src === verifyLine(n))) {
      seen("verify " + order.filter((n) => src === verifyLine(n))[0], i);
    } else if (layout && member("Storage", "erase") && call.arguments.length === 1) {
      seen("erase " + call.arguments[0].value, i);
    } else if (layout && member("Storage", "compact") && !call.arguments.length) {
      seen("compact", i);
    } else if (layout && member("Flash", "erasePage") && call.arguments.length === 1 && typeof call.arguments[0].value === "number") {
      pages.push(call.arguments[0].value);
      seen("erasePage", i);
      last["erasePage"] = i;
    } else if (layout && src === blank) {
      seen("blank", i);
    } else if (c && c.type === "Identifier" && c.name === "load") {
      if (call.arguments.length) problems.push("load(" + upload.slice(call.arguments[0].start, call.arguments[0].end) + ") evaluates the file after init, so onInit never runs: end with load()");
      loaded = true;
    } else if (c && c.type === "Identifier" && c.name === "reset" && !call.arguments.length) {
      if (i !== 0) problems.push("reset() is not the first statement");
    } else {
      problems.push("unexpected statement at " + st.start + ": " + src.slice(0, 60));
    }
  }
  const before = (a: string, b: string) => at[a] !== undefined && at[b] !== undefined && at[a]! < at[b]!;
  for (const n of order) {
    if (!chunks[n]) { problems.push("no Storage.write of " + n); continue; }
    if (at["verify " + n] === undefined) problems.push("no read-back of " + n + " (length and E.CRC32) before load()");
    else if (at["verify " + n]! < last["write " + n]!) problems.push("the read-back of " + n + " comes before its last chunk");
    if (text[n] !== want[n]) problems.push("the chunks of " + n + " do not reassemble to the " + (n === SLOT_A || !layout ? "bundle" : "loader") + " (" + (text[n] ?? "").length + " vs " + want[n]!.length + " characters)");
  }
  if (layout) {
    for (const n of ERASED_FILES) {
      if (at["erase " + n] === undefined) problems.push("no Storage.erase of " + n + (n === SLOT_B ? " (a stale fw.b could be booted)" : ""));
      else if (!before("erase " + n, "write " + SLOT_A)) problems.push("Storage.erase of " + n + " after the first write");
    }
    if (at["compact"] === undefined) problems.push("no Storage.compact() before the writes");
    else if (!before("compact", "write " + SLOT_A) || ERASED_FILES.some((n) => !before("erase " + n, "compact"))) problems.push("Storage.compact() must come after the erases and before the writes");
    if (before("write " + BOOT_FILE, "verify " + SLOT_A)) problems.push("the loader (" + BOOT_FILE + ") is written before " + SLOT_A + " is read back");
    const sectors = sectorsOf(layout.boot);
    const missing = sectors.filter((a) => pages.indexOf(a) < 0);
    if (missing.length) problems.push("no erasePage of the boot region's sector" + (missing.length > 1 ? "s " : " ") + missing.map(hex).join(", "));
    const stray = pages.filter((a) => sectors.indexOf(a) < 0);
    if (stray.length) problems.push("erasePage outside the boot region: " + stray.map(hex).join(", "));
    if (at["erasePage"] !== undefined && (at["erasePage"]! < (at["verify " + SLOT_A] ?? Infinity) || at["erasePage"]! < (at["verify " + BOOT_FILE] ?? Infinity))) {
      problems.push("the boot region is erased before both files are read back");
    }
    if (at["blank"] === undefined) problems.push("no blank read-back of the boot region");
    else if (at["blank"]! < (last["erasePage"] ?? Infinity)) problems.push("the boot region's read-back comes before its erase");
  }
  if (!loaded) problems.push("no load() after the writes");
  const files = order.filter((n) => chunks[n]).map((n) => ({ name: n, chunks: chunks[n]!, bytes: text[n]!.length }));
  return { chunks: files.reduce((a, f) => a + f.chunks, 0), bytes: files.reduce((a, f) => a + f.bytes, 0), files, problems };
}

/** The CLI's upload of one file as Storage `file` (offline), or an error. */
export function runCli(bundle: string, file: string): { out: string } | { error: string } {
  if (!fs.existsSync(CLI)) return { error: "the espruino CLI is not installed (" + rel(CLI) + "): run `make install`" };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "flash-"));
  const out = path.join(tmp, "cli-upload.js");
  try {
    const r = spawnSync(CLI, cliArgs(bundle, { out }, 115200, file), { cwd: ROOT, encoding: "utf8", timeout: 120000 });
    if (r.error) return { error: "cannot run the espruino CLI: " + r.error.message };
    if (r.status !== 0) return { error: "the espruino CLI failed (exit " + r.status + ")" + (r.stderr ? ":\n" + r.stderr : "") };
    if (!fs.existsSync(out)) return { error: "the espruino CLI wrote no upload:\n" + (r.stdout || "") + (r.stderr || "") };
    return { out: fs.readFileSync(out, "utf8") };
  } catch (e) {
    return { error: "the espruino CLI's upload cannot be read: " + (e as Error).message };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Writes the upload with the espruino CLI (offline): a probe as .bootcde alone, or, with a
 *  layout (the loader's path and the board's boot region), the firmware's update-ready upload. */
export function buildUpload(bundle: string, layout?: { loader: string; boot: Region }): { upload: string } | { error: string } {
  const fw = runCli(bundle, layout ? SLOT_A : BOOT_FILE);
  if ("error" in fw) return fw;
  try {
    if (!layout) return { upload: makeUpload(fw.out) };
    const ld = runCli(layout.loader, BOOT_FILE);
    if ("error" in ld) return ld;
    return { upload: makeFirmwareUpload(fw.out, ld.out, layout.boot) };
  } catch (e) {
    return { error: "the espruino CLI's upload cannot be read: " + (e as Error).message };
  }
}

// ---------------------------------------------------------------------------------------
// The conversation with a board, behind a small interface so it runs against the twin and
// against fakes in the tests.

/** A board's console. exchange() types `line` and a newline, then resolves with what the
 *  board printed from then on, up to the first match of `until` (the text so far is dropped
 *  first); it rejects with a LinkTimeout after `ms` milliseconds. */
export interface BoardLink {
  exchange(line: string, until: RegExp, ms: number): Promise<string>;
  close(): void;
}

export class LinkTimeout extends Error {
  constructor(readonly output: string, ms: number) { super("no answer within " + ms / 1000 + " s"); }
}

/** A BoardLink over any byte stream: feed() what the board prints, write() what to type. */
export class StreamLink implements BoardLink {
  private buf = "";
  private waiter: { until: RegExp; resolve: (s: string) => void } | null = null;
  /** everything the board printed (for logs and tests) */
  transcript = "";
  constructor(private write: (s: string) => void, private onClose: () => void = () => {}) {}
  feed(s: string): void {
    this.transcript += s;
    this.buf += s;
    const w = this.waiter;
    if (w) { const m = w.until.exec(this.buf); if (m) { this.waiter = null; w.resolve(this.buf.slice(0, m.index + m[0].length)); } }
  }
  exchange(line: string, until: RegExp, ms: number): Promise<string> {
    this.buf = "";
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.waiter = null; reject(new LinkTimeout(this.buf, ms)); }, ms);
      this.waiter = { until, resolve: (s) => { clearTimeout(timer); resolve(s); } };
      this.write(line + "\n");
    });
  }
  close(): void { this.onClose(); }
}

export class FlashError extends Error {}

/** a command's result or error: at the start of a line, never inside the echoed command */
const RESULT = /(?:^|\n)(=[^\r\n]*|Uncaught[^\r\n]*)\r?\n/;
/** what a failed start prints: an uncaught error, the firmware's own boot check, or a loader
 *  that finds no slot to boot */
const START_FAIL = /Uncaught[^\r\n]*\r?\n|BOARD MISMATCH[^\r\n]*\r?\n|loader: no bootable firmware slot[^\r\n]*\r?\n/;

export interface BoardInfo { v: string; board?: string; flash?: number; storage?: number; free: { addr: number; length: number }[] }

/** "2v29" or "2v29.277" as 2029 (NaN when it is not an Espruino version) */
export function versionNumber(v: string): number {
  const m = /^(\d+)v(\d+)/.exec(v);
  return m ? Number(m[1]) * 1000 + Number(m[2]) : NaN;
}


/** The board-file checks of what the board said: "" or one line. */
export function checkBoardInfo(info: BoardInfo, board: Board): string {
  if (!(versionNumber(info.v) >= versionNumber(board.mcu.espruino))) {
    return "the board runs Espruino " + info.v + "; the firmware needs " + board.mcu.espruino + " or later (boards/" + board.name + ".json mcu.espruino): update the interpreter first";
  }
  const want: string[] = [];
  if (info.flash !== board.mcu.flashSize) want.push("flash " + info.flash + " bytes, board file " + board.mcu.flashSize);
  if (info.storage !== board.partitions.storage.size) want.push("Storage " + info.storage + " bytes, board file " + board.partitions.storage.size);
  // the regions in the raw `flash` partition (settings sit in `free`, which getFree does not list)
  for (const name of ["journal", "audit", "health", "boot"]) {
    const r = board.flashRegions[name]!, end = r.base + r.sectors * r.sectorSize;
    if (!info.free.some((f) => r.base >= f.addr && end <= f.addr + f.length)) {
      want.push(name + " " + hex(r.base) + "-" + hex(end) + " not in require(\"Flash\").getFree() " + info.free.map((f) => hex(f.addr) + "+" + f.length).join(","));
    }
  }
  return want.length ? "the board's flash layout differs from boards/" + board.name + ".json: " + want.join("; ") : "";
}

/** Asks the board what it is; throws FlashError with one line when it is not what we need. */
export async function probeBoard(link: BoardLink, board: Board, where: string, interrupt = true): Promise<BoardInfo> {
  let out: string;
  try {
    // Ctrl-C first: clears a half-typed line (once per session: on the twin, the Linux build,
    // a second Ctrl-C quits the interpreter)
    out = await link.exchange((interrupt ? "\x03" : "") + PROBE_LINE, /FLASH-ID (\{.*\})\r?\n/, 8000);
  } catch (e) {
    if (e instanceof LinkTimeout) {
      const said = e.output.replace(/[^\x20-\x7e]+/g, " ").trim().slice(0, 60);
      throw new FlashError("no Espruino interpreter answered on " + where + " (a board that is not Espruino, the wrong port or baud rate?)" + (said ? "; it said: " + said : ""));
    }
    throw e;
  }
  let info: BoardInfo;
  try {
    info = JSON.parse(/FLASH-ID (\{.*\})\r?\n/.exec(out)![1]!);
  } catch (e) {
    throw new FlashError("the board on " + where + " answered something that is not a board description: " + out.slice(0, 80));
  }
  if (typeof info.v !== "string" || !Array.isArray(info.free)) throw new FlashError("the board on " + where + " is not an Espruino board: " + out.slice(0, 80));
  const bad = checkBoardInfo(info, board);
  if (bad) throw new FlashError(bad);
  return info;
}

export interface FlashResult {
  info: BoardInfo;
  /** chunks and characters over all files; crc: the first file's (the firmware or the probe) */
  chunks: number; bytes: number; crc: number;
  /** each file as read back, in upload order */
  files: { name: string; chunks: number; bytes: number; crc: number }[];
  /** the boot region's sectors, erased and read back blank (firmware layout) */
  bootErased: number;
  started: string;
}

/** The whole conversation: probe, upload line by line, read back, start. `files` holds what each
 *  Storage file must read back as ({"fw.a": firmware, ".bootcde": loader}, or {".bootcde": probe});
 *  opts.loaderNote: a line the start must print besides the banner (the loader's record of fw.a). */
export async function flashOver(link: BoardLink, board: Board, upload: string, files: Record<string, string>, where: string,
  opts: { startMarker?: RegExp; loaderNote?: RegExp; startSeconds?: number; log?: (s: string) => void } = {}): Promise<FlashResult> {
  const log = opts.log ?? (() => {});
  const info = await probeBoard(link, board, where);
  log("board: Espruino " + info.v + (info.board ? " (" + info.board + ")" : "") + ", flash layout as in boards/" + board.name + ".json");
  const lines = upload.split("\n").filter((l) => l.length);
  const done: FlashResult["files"] = [];
  const perFile: Record<string, number> = {};
  const boot = board.flashRegions.boot!;
  let chunks = 0, bootErased = 0;
  for (const line of lines) {
    const short = line.slice(0, 40);
    const verified = /^print\("FLASH"\+"-CRC",("[^"]*")/.exec(line);
    if (line === "reset()") {
      await ask(link, line, RESULT, 10000, "reset()");
      // wait for print's own result line too: a late "=undefined" must not be read as chunk 0's answer
      await ask(link, 'print("FLASH"+"-SYNC")', /FLASH-SYNC\r?\n=undefined\r?\n/, 10000, "after reset()");
    } else if (/^require\("Storage"\)\.erase\(/.test(line)) {
      const res = await result(link, line, 20000, "Storage.erase");
      if (res !== "=undefined") throw new FlashError("the board could not erase a stale file (" + line + "): " + res);
    } else if (line === COMPACT_LINE) {
      log("compacting Storage (the trash of earlier updates and reflashes; other files are kept)");
      const res = await result(link, line, 180000, "Storage.compact()");
      if (res !== "=undefined") throw new FlashError("the board could not compact Storage: " + res);
    } else if (verified) {
      const name = JSON.parse(verified[1]!) as string;
      const want = files[name];
      if (want === undefined) throw new FlashError("the upload reads back " + name + ", which flash.ts was not given");
      // print's own result line too: a late "=undefined" must not be read as the next line's answer
      const out = await ask(link, line, /FLASH-CRC \S+ (\d+ \d+|none)\r?\n=undefined\r?\n/, 30000, "the read-back of " + name);
      const m = /FLASH-CRC \S+ (\d+) (\d+)/.exec(out);
      if (!m) throw new FlashError("the board has no " + name + " after the upload (not started)");
      const crc = zlib.crc32(Buffer.from(want, "latin1")) >>> 0;
      if (Number(m[1]) !== want.length || Number(m[2]) !== crc) {
        throw new FlashError("the stored " + name + " differs from " + (name === SLOT_A || !(SLOT_A in files) ? "the bundle" : "the loader") + ": " + m[1] + " bytes, CRC32 " + m[2] + " on the board; " + want.length + " bytes, CRC32 " + crc + " sent (not started)");
      }
      done.push({ name, chunks: perFile[name] ?? 0, bytes: want.length, crc });
      log("read back: " + name + " " + m[1] + " bytes, CRC32 " + m[2] + " = " + (name === SLOT_A || !(SLOT_A in files) ? "bundle" : "loader"));
    } else if (/^require\("Flash"\)\.erasePage\(/.test(line)) {
      const res = await result(link, line, 20000, "the boot region's erase");
      if (res !== "=undefined") throw new FlashError("the board could not erase the boot region (" + line + "): " + res);
    } else if (line === blankLine(boot)) {
      const out = await ask(link, line, /FLASH-BLANK ([\d ]*)\r?\n=undefined\r?\n/, 30000, "the boot region's read-back");
      const crcs = /FLASH-BLANK ([\d ]*)\r?\n/.exec(out)![1]!.trim().split(" ").map(Number);
      const blank = blankCrc(boot.sectorSize);
      sectorsOf(boot).forEach((a, k) => {
        if (crcs[k] !== blank) throw new FlashError("the boot region did not erase: sector " + hex(a) + " of boards/" + board.name + ".json flashRegions.boot reads back not blank (CRC32 " + crcs[k] + ", blank " + blank + "); not started: a stale boot control could boot an old slot");
      });
      bootErased = boot.sectors;
      log("boot control reset: " + boot.sectors + " sectors at " + hex(boot.base) + " read back blank");
    } else if (line === "load()") {
      const marker = opts.startMarker;
      const secs = opts.startSeconds ?? 60;
      const until = marker ? new RegExp(marker.source + "|" + START_FAIL.source) : START_FAIL;
      let out = "";
      try {
        out = await link.exchange(line, until, secs * 1000);
      } catch (e) {
        if (!(e instanceof LinkTimeout)) throw e;
        if (marker) throw new FlashError("the firmware did not start within " + secs + " s after load() (no " + marker.source + " on the console)");
        out = e.output;
      }
      const err = START_FAIL.exec(out);
      if (err) throw new FlashError("the firmware failed at start: " + err[0].trim());
      if (opts.loaderNote && !opts.loaderNote.test(out)) {
        const said = /loader: [^\r\n]*/.exec(out);
        throw new FlashError("the loader did not record " + SLOT_A + " as the running slot (" + (said ? said[0] : "no loader line") + "): the terminal would refuse updates");
      }
      const started = marker ? marker.exec(out)![0].trim() : "no error in " + secs + " s";
      const first = done[0];
      return { info, chunks, bytes: done.reduce((a, f) => a + f.bytes, 0), crc: first ? first.crc : 0, files: done, bootErased, started };
    } else if (/^require\("Storage"\)\.write\(/.test(line)) {
      // results start a line; the echo of the chunk (which may contain "Error") does not
      const res = await result(link, line, 20000, "chunk " + chunks);
      if (res !== "=true") throw new FlashError("the board refused chunk " + chunks + " (" + short + "...): " + res);
      const name = /^require\("Storage"\)\.write\(("(?:[^"\\]|\\.)*")/.exec(line);
      if (name) { const n = JSON.parse(name[1]!) as string; perFile[n] = (perFile[n] ?? 0) + 1; }
      chunks++;
    } else {
      throw new FlashError("the upload has a line flash.ts does not type: " + short);
    }
  }
  throw new FlashError("the upload has no load()");
}

/** types a line and returns its result line (=... or Uncaught ...) */
async function result(link: BoardLink, line: string, ms: number, what: string): Promise<string> {
  const out = await ask(link, line, RESULT, ms, what);
  return RESULT.exec(out)![1]!.trim();
}

async function ask(link: BoardLink, line: string, until: RegExp, ms: number, what: string): Promise<string> {
  try {
    return await link.exchange(line, until, ms);
  } catch (e) {
    if (e instanceof LinkTimeout) throw new FlashError("the board stopped answering at " + what + " (" + e.message + ")");
    throw e;
  }
}

/** A serial port as a BoardLink (the `serialport` package the espruino CLI brings). */
export async function openSerial(port: string, baud: number): Promise<StreamLink> {
  let SerialPort: any;
  try {
    SerialPort = require("serialport").SerialPort;
  } catch (e) {
    throw new FlashError("serial support is missing (the serialport package of the espruino CLI): run `make install`");
  }
  return new Promise((resolve, reject) => {
    const sp = new SerialPort({ path: port, baudRate: baud }, (err: Error | null) => {
      if (err) { reject(new FlashError("cannot open " + port + " as a serial port: " + err.message)); return; }
      const link = new StreamLink((s) => sp.write(s, "latin1"), () => { if (sp.isOpen) sp.close(); });
      sp.on("data", (d: Buffer) => link.feed(d.toString("latin1")));
      resolve(link);
    });
  });
}

export async function main(argv: string[]): Promise<number> {
  const a = parseArgs(argv);
  if (typeof a === "string") { console.error(a); return 2; }
  let board: Board;
  try {
    board = loadBoardFile(a.board).board;
  } catch (e) {
    console.error(e instanceof BoardError ? e.message : String(e));
    return 2;
  }
  const bundle = a.file ? path.resolve(a.file) : path.join(distDir(a.board), "firmware.js");
  if (!fs.existsSync(bundle)) {
    console.error("flash.ts: " + rel(bundle) + " does not exist: run `make build BOARD=" + a.board + "` first");
    return 1;
  }
  if (a.port && a.port.startsWith("/dev/") && !fs.existsSync(a.port)) {
    console.error("flash.ts: no such port " + a.port + " (is the board plugged in? list ports with `" + rel(CLI) + " --list`)");
    return 1;
  }
  const code = fs.readFileSync(bundle, "latin1");
  if (/[^\x00-\x7f]/.test(code)) { console.error("flash.ts: " + rel(bundle) + " is not ASCII (the build keeps \\u escapes): rebuild it"); return 1; }
  // the firmware goes in the update-ready layout (slot fw.a, booted by the loader beside it);
  // anything else (a probe, the selftest) is a bench tool: .bootcde alone
  const isFirmware = path.basename(bundle) === "firmware.js";
  let layout: Layout | undefined;
  let loaderPath = "";
  if (isFirmware) {
    loaderPath = path.join(path.dirname(bundle), "loader.js");
    if (!fs.existsSync(loaderPath)) {
      console.error("flash.ts: " + rel(loaderPath) + " does not exist (the firmware boots through it from slot " + SLOT_A + "): run `make build BOARD=" + a.board + "` first");
      return 1;
    }
    const loader = fs.readFileSync(loaderPath, "latin1");
    if (/[^\x00-\x7f]/.test(loader)) { console.error("flash.ts: " + rel(loaderPath) + " is not ASCII: rebuild it"); return 1; }
    layout = { loader, boot: board.flashRegions.boot! };
  }
  const made = buildUpload(bundle, layout ? { loader: loaderPath, boot: layout.boot } : undefined);
  if ("error" in made) { console.error("flash.ts: " + made.error); return 1; }
  const check = checkUpload(made.upload, code, layout);
  if (check.problems.length) { console.error("flash.ts: the upload is wrong:\n  " + check.problems.join("\n  ")); return 1; }
  const crcOf = (t: string) => zlib.crc32(Buffer.from(t, "latin1")) >>> 0;
  const expect: Record<string, string> = layout ? { [SLOT_A]: code, [BOOT_FILE]: layout.loader } : { [BOOT_FILE]: code };
  const boot = board.flashRegions.boot!;
  const region = hex(boot.base) + "-" + hex(boot.base + boot.sectors * boot.sectorSize);
  if (a.dryRun) {
    fs.mkdirSync(path.dirname(path.resolve(a.dryRun)), { recursive: true });
    fs.writeFileSync(a.dryRun, made.upload);
    const files = check.files.map((f) => f.name + (f.name === BOOT_FILE && layout ? " (loader.js)" : "") + ": " + f.chunks + " Storage.write chunks, " + f.bytes + " bytes, read-back (length, E.CRC32)");
    if (layout) {
      console.log(a.dryRun + ": reset(); erase " + ERASED_FILES.join(", ") + "; compact Storage; " + files.join("; ") + "; erase the boot region " + region + " (" + boot.sectors + " sectors), read back blank; then load()");
    } else {
      console.log(a.dryRun + ": reset(), " + files[0] + ", then load()");
      console.log("a probe is a bench tool: written as " + BOOT_FILE + " alone (no loader); " + SLOT_A + ", " + SLOT_B + " and the boot region are left as they are, and `make flash` puts the terminal back");
    }
    console.log("the board must read back " + Object.keys(expect).map((n) => n + " as " + expect[n]!.length + " bytes, E.CRC32 " + crcOf(expect[n]!)).join(", and ")
      + (layout ? "; the boot region's sectors as E.CRC32 " + blankCrc(boot.sectorSize) + " (blank)" : ""));
    return 0;
  }
  if (layout) console.log("flashing " + rel(bundle) + " (" + code.length + " bytes) as " + SLOT_A + " and " + rel(loaderPath) + " as " + BOOT_FILE + ", boot control " + region + " reset, to " + a.port + " at " + a.baud + " baud");
  else console.log("flashing " + rel(bundle) + " (" + code.length + " bytes) as " + BOOT_FILE + " alone (a bench tool: `make flash` puts the terminal back) to " + a.port + " at " + a.baud + " baud");
  let link: StreamLink | null = null;
  try {
    link = await openSerial(a.port!, a.baud);
    const r = await flashOver(link, board, made.upload, expect, a.port!, {
      startMarker: isFirmware ? /POS firmware on [^\r\n]*\r?\n/ : undefined, startSeconds: isFirmware ? 60 : 5,
      loaderNote: isFirmware ? LOADER_NOTE : undefined,
      log: (s) => console.log("  " + s),
    });
    console.log("flashed: " + r.files.map((f) => f.name + " " + f.chunks + " chunks, " + f.bytes + " bytes, CRC32 " + f.crc).join("; ") + " verified"
      + (r.bootErased ? "; boot control reset" : "") + "; started: " + r.started + (layout ? " (through the loader from " + SLOT_A + ")" : ""));
    return 0;
  } catch (e) {
    console.error("flash.ts: " + (e instanceof FlashError ? e.message : String(e)));
    return 1;
  } finally {
    if (link) link.close();
  }
}

if (require.main === module) main(process.argv.slice(2)).then((c) => { process.exitCode = c; });
