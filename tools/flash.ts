// make flash / make flash-dry: put dist/<board>/firmware.js (or a probe) on the board as boot
// code (.bootcde in Storage), checked at every step.
//
// 1. The upload text is made offline by the espruino CLI (see ../shared/espruino.md section 8:
//    a local board description with binary_version, --storage .bootcde:-, no CLI minification)
//    and rewritten to: reset(); the CLI's Storage.write chunks; a read-back line printing the
//    stored file's length and E.CRC32; load() (no argument: it runs .bootcde and then onInit,
//    as a power-up does; the CLI's load(".bootcde") evaluates the code after init, so onInit
//    never runs). `make flash-dry` writes exactly this to dist/<board>/upload.js.
// 2. `make flash` types that text line by line into the board's console through a BoardLink
//    (a serial port here; the ESP32 twin in the tests), after asking the board what it is:
//    no answer, a board that is not Espruino, an interpreter older than the board file's
//    mcu.espruino, or a flash layout that differs from the board file is a one-line error and
//    exit 1 before anything is written. Each chunk must answer =true; the read-back must match
//    the bundle's length and CRC-32 before load() starts the terminal; the start must print
//    the firmware's banner (or, for a probe, no Uncaught error).
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

export const CLI = path.join(ROOT, "node_modules", ".bin", "espruino");
export const CLI_BOARD = path.join(BOARDS_DIR, "esp32-cli.json");
export const BOOT_FILE = ".bootcde";
/** the read-back line of every upload: prints FLASH-CRC <length> <crc32> (or none) */
export const VERIFY_LINE = 'print("FLASH"+"-CRC",(function(f){return f?f.length+" "+E.CRC32(f):"none"})(require("Storage").read("' + BOOT_FILE + '")))';
/** what the board is asked first: interpreter version and flash layout, one JSON line */
export const PROBE_LINE = 'print("FLASH"+"-ID",JSON.stringify({v:process.version,board:process.env.BOARD,flash:process.env.FLASH,storage:process.env.STORAGE,free:require("Flash").getFree()}))';

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

/** The CLI arguments that write the upload offline (-n -o); a port variant is kept for
 *  reference (the CLI reports a failed connection with exit 0, so flash.ts never uses it). */
export function cliArgs(bundle: string, target: { port?: string; out?: string }, baud: number): string[] {
  const args = target.out ? ["-n", "-o", path.resolve(target.out)] : ["-p", target.port!, "-b", String(baud)];
  return args.concat([
    "--board", CLI_BOARD,
    "--no-ble",
    "--config", "MINIFICATION_LEVEL=",
    "--config", "MINIFICATION_Mangle=false",
    "--config", "PRETOKENISE=0",
    "--storage", BOOT_FILE + ":-",
    path.resolve(bundle),
  ]);
}

/** The CLI's upload rewritten as flash.ts sends it: reset(), the chunks, the read-back, load(). */
export function makeUpload(cliOutput: string): string {
  const ast: any = acorn.parse(cliOutput, { ecmaVersion: 5, sourceType: "script" });
  const lines = ["reset()"];
  for (const st of ast.body) {
    const src = cliOutput.slice(st.start, st.end).replace(/;$/, "");
    if (/^load\(/.test(src) || /^reset\(/.test(src)) continue;
    if (src.indexOf("\n") >= 0) throw new Error("a statement of the CLI's upload spans lines: " + src.slice(0, 60));
    lines.push(src + ";");
  }
  lines.push(VERIFY_LINE, "load()");
  return lines.join("\n") + "\n";
}

export interface UploadCheck { chunks: number; bytes: number; problems: string[] }

/** Checks an upload script: reset(), Storage.write chunks of .bootcde that reassemble to the
 *  bundle at consecutive offsets (the first declaring the total size), the read-back line,
 *  then load() with no argument (a power-up start). */
export function checkUpload(upload: string, bundle: string): UploadCheck {
  const problems: string[] = [];
  let ast: any;
  try {
    ast = acorn.parse(upload, { ecmaVersion: 5, sourceType: "script" });
  } catch (e) {
    return { chunks: 0, bytes: 0, problems: ["the upload does not parse as ES5: " + (e as Error).message] };
  }
  let text = "";
  let chunks = 0;
  let loaded = false, verified = false;
  for (const st of ast.body) {
    const call = st.type === "ExpressionStatement" && st.expression.type === "CallExpression" ? st.expression : null;
    const c = call && call.callee;
    const src = upload.slice(st.start, st.end).replace(/;$/, "");
    if (loaded) problems.push("statement after load(): " + src.slice(0, 60));
    const isWrite = c && c.type === "MemberExpression" && c.property.name === "write" && c.object.type === "CallExpression" &&
      c.object.callee.name === "require" && c.object.arguments[0]?.value === "Storage";
    if (isWrite) {
      const [name, data, offset, total] = call.arguments;
      if (name?.value !== BOOT_FILE) problems.push("chunk " + chunks + " writes " + JSON.stringify(name?.value) + ", not " + BOOT_FILE);
      if (typeof data?.value !== "string") { problems.push("chunk " + chunks + " has no string data"); continue; }
      if ((offset?.value ?? 0) !== text.length) problems.push("chunk " + chunks + " at offset " + offset?.value + ", expected " + text.length);
      if (chunks === 0 && total && total.value !== bundle.length) problems.push("declared size " + total.value + " != bundle " + bundle.length);
      text += data.value;
      chunks++;
    } else if (src === VERIFY_LINE) {
      verified = true;
    } else if (c && c.type === "Identifier" && c.name === "load") {
      if (call.arguments.length) problems.push("load(" + upload.slice(call.arguments[0].start, call.arguments[0].end) + ") evaluates the file after init, so onInit never runs: end with load()");
      loaded = true;
    } else if (!(c && c.type === "Identifier" && c.name === "reset" && !call.arguments.length)) {
      problems.push("unexpected statement at " + st.start + ": " + src.slice(0, 60));
    }
  }
  if (!chunks) problems.push("no Storage.write of " + BOOT_FILE);
  if (!verified) problems.push("no read-back of " + BOOT_FILE + " (length and E.CRC32) before load()");
  if (!loaded) problems.push("no load() after the writes");
  if (text !== bundle) problems.push("the chunks do not reassemble to the bundle (" + text.length + " vs " + bundle.length + " characters)");
  return { chunks, bytes: text.length, problems };
}

/** Writes the upload for a bundle with the espruino CLI (offline); returns it or an error. */
export function buildUpload(bundle: string): { upload: string } | { error: string } {
  if (!fs.existsSync(CLI)) return { error: "the espruino CLI is not installed (" + rel(CLI) + "): run `make install`" };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "flash-"));
  const out = path.join(tmp, "cli-upload.js");
  try {
    const r = spawnSync(CLI, cliArgs(bundle, { out }, 115200), { cwd: ROOT, encoding: "utf8", timeout: 120000 });
    if (r.error) return { error: "cannot run the espruino CLI: " + r.error.message };
    if (r.status !== 0) return { error: "the espruino CLI failed (exit " + r.status + ")" + (r.stderr ? ":\n" + r.stderr : "") };
    if (!fs.existsSync(out)) return { error: "the espruino CLI wrote no upload:\n" + (r.stdout || "") + (r.stderr || "") };
    return { upload: makeUpload(fs.readFileSync(out, "utf8")) };
  } catch (e) {
    return { error: "the espruino CLI's upload cannot be read: " + (e as Error).message };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
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
/** what a failed start prints: an uncaught error, or the firmware's own boot check */
const START_FAIL = /Uncaught[^\r\n]*\r?\n|BOARD MISMATCH[^\r\n]*\r?\n/;

export interface BoardInfo { v: string; board?: string; flash?: number; storage?: number; free: { addr: number; length: number }[] }

/** "2v29" or "2v29.277" as 2029 (NaN when it is not an Espruino version) */
export function versionNumber(v: string): number {
  const m = /^(\d+)v(\d+)/.exec(v);
  return m ? Number(m[1]) * 1000 + Number(m[2]) : NaN;
}

const hex = (n: number) => "0x" + n.toString(16).toUpperCase();

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

export interface FlashResult { info: BoardInfo; chunks: number; bytes: number; crc: number; started: string }

/** The whole conversation: probe, upload line by line, read back, start. */
export async function flashOver(link: BoardLink, board: Board, upload: string, bundle: string, where: string,
  opts: { startMarker?: RegExp; startSeconds?: number; log?: (s: string) => void } = {}): Promise<FlashResult> {
  const log = opts.log ?? (() => {});
  const info = await probeBoard(link, board, where);
  log("board: Espruino " + info.v + (info.board ? " (" + info.board + ")" : "") + ", flash layout as in boards/" + board.name + ".json");
  const lines = upload.split("\n").filter((l) => l.length);
  const crc = zlib.crc32(Buffer.from(bundle, "latin1")) >>> 0;
  let chunks = 0;
  for (const line of lines) {
    const short = line.slice(0, 40);
    if (line === "reset()") {
      await ask(link, line, RESULT, 10000, "reset()");
      // wait for print's own result line too: a late "=undefined" must not be read as chunk 0's answer
      await ask(link, 'print("FLASH"+"-SYNC")', /FLASH-SYNC\r?\n=undefined\r?\n/, 10000, "after reset()");
    } else if (line === VERIFY_LINE) {
      const out = await ask(link, line, /FLASH-CRC (\d+ \d+|none)\r?\n/, 30000, "the read-back");
      const m = /FLASH-CRC (\d+) (\d+)/.exec(out);
      if (!m) throw new FlashError("the board has no " + BOOT_FILE + " after the upload");
      if (Number(m[1]) !== bundle.length || Number(m[2]) !== crc) {
        throw new FlashError("the stored " + BOOT_FILE + " differs from the bundle: " + m[1] + " bytes, CRC32 " + m[2] + " on the board; " + bundle.length + " bytes, CRC32 " + crc + " sent (not started)");
      }
      log("read back: " + BOOT_FILE + " " + m[1] + " bytes, CRC32 " + m[2] + " = bundle");
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
      const started = marker ? marker.exec(out)![0].trim() : "no error in " + secs + " s";
      return { info, chunks, bytes: bundle.length, crc, started };
    } else {
      // results start a line; the echo of the chunk (which may contain "Error") does not
      const out = await ask(link, line, RESULT, 20000, "chunk " + chunks);
      const res = RESULT.exec(out)![1]!.trim();
      if (res !== "=true") throw new FlashError("the board refused chunk " + chunks + " (" + short + "...): " + res);
      chunks++;
    }
  }
  throw new FlashError("the upload has no load()");
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
  const made = buildUpload(bundle);
  if ("error" in made) { console.error("flash.ts: " + made.error); return 1; }
  const check = checkUpload(made.upload, code);
  if (check.problems.length) { console.error("flash.ts: the upload is wrong:\n  " + check.problems.join("\n  ")); return 1; }
  if (a.dryRun) {
    fs.mkdirSync(path.dirname(path.resolve(a.dryRun)), { recursive: true });
    fs.writeFileSync(a.dryRun, made.upload);
    console.log(a.dryRun + ": reset(), " + check.chunks + " Storage.write chunks, " + check.bytes + " bytes, read-back (length, E.CRC32), then load()");
    console.log("the board must read back " + BOOT_FILE + " as " + code.length + " bytes, E.CRC32 " + (zlib.crc32(Buffer.from(code, "latin1")) >>> 0));
    return 0;
  }
  const isFirmware = path.basename(bundle) === "firmware.js";
  console.log("flashing " + rel(bundle) + " (" + code.length + " bytes) as " + BOOT_FILE + " to " + a.port + " at " + a.baud + " baud");
  let link: StreamLink | null = null;
  try {
    link = await openSerial(a.port!, a.baud);
    const r = await flashOver(link, board, made.upload, code, a.port!, {
      startMarker: isFirmware ? /POS firmware on [^\r\n]*\r?\n/ : undefined, startSeconds: isFirmware ? 60 : 5,
      log: (s) => console.log("  " + s),
    });
    console.log("flashed: " + r.chunks + " chunks, " + r.bytes + " bytes, CRC32 " + r.crc + " verified; started: " + r.started);
    return 0;
  } catch (e) {
    console.error("flash.ts: " + (e instanceof FlashError ? e.message : String(e)));
    return 1;
  } finally {
    if (link) link.close();
  }
}

if (require.main === module) main(process.argv.slice(2)).then((c) => { process.exitCode = c; });
