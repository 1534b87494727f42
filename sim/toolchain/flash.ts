// make flash / make flash-dry: upload dist/<board>/firmware.js as boot code (.bootcde in
// Storage) with the espruino CLI, offline-safe (see ../shared/espruino.md section 8):
// - a local board description (boards/esp32-cli.json, with binary_version) so the CLI never
//   fetches one and does not fall back to "pre-1v96" behaviour;
// - --storage .bootcde:- so the code goes to Storage in 1 KB Storage.write chunks + load();
// - no CLI minification or mangling (its mangler breaks classes); the bundle is final;
// - -b 115200 (the CLI defaults to 9600; the ESP32 console runs at 115200).
//   tsx sim/toolchain/flash.ts --board NAME --port /dev/ttyUSB0 [--baud 115200] [--file firmware.js]
//   tsx sim/toolchain/flash.ts --board NAME --dry-run OUT.js       (offline: writes the exact upload)
import * as acorn from "acorn";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { BoardError, loadBoardFile } from "./board";
import { BOARDS_DIR, ROOT, distDir, rel } from "./paths";

export const CLI = path.join(ROOT, "node_modules", ".bin", "espruino");
export const CLI_BOARD = path.join(BOARDS_DIR, "esp32-cli.json");
export const BOOT_FILE = ".bootcde";

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

/** The CLI arguments for an upload (port) or an offline dry run (-n -o). */
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

export interface UploadCheck { chunks: number; bytes: number; problems: string[] }

/** Checks an upload script: Storage.write chunks of .bootcde that reassemble to the bundle
 *  at consecutive offsets (the first declaring the total size), then load(). */
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
  let loaded = false;
  for (const st of ast.body) {
    const call = st.type === "ExpressionStatement" && st.expression.type === "CallExpression" ? st.expression : null;
    const c = call && call.callee;
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
    } else if (c && c.type === "Identifier" && c.name === "load" && call.arguments[0]?.value === BOOT_FILE) {
      loaded = true;
    } else if (!(c && c.type === "Identifier" && c.name === "reset")) {
      problems.push("unexpected statement at " + st.start + ": " + upload.slice(st.start, Math.min(st.end, st.start + 60)));
    }
  }
  if (!chunks) problems.push("no Storage.write of " + BOOT_FILE);
  if (!loaded) problems.push("no load(\"" + BOOT_FILE + "\") after the writes");
  if (text !== bundle) problems.push("the chunks do not reassemble to the bundle (" + text.length + " vs " + bundle.length + " characters)");
  return { chunks, bytes: text.length, problems };
}

export function main(argv: string[]): number {
  const a = parseArgs(argv);
  if (typeof a === "string") { console.error(a); return 2; }
  try {
    loadBoardFile(a.board);
  } catch (e) {
    console.error(e instanceof BoardError ? e.message : String(e));
    return 2;
  }
  const bundle = a.file ? path.resolve(a.file) : path.join(distDir(a.board), "firmware.js");
  if (!fs.existsSync(bundle)) {
    console.error("flash.ts: " + rel(bundle) + " does not exist: run `make build BOARD=" + a.board + "` first");
    return 1;
  }
  if (!fs.existsSync(CLI)) { console.error("flash.ts: the espruino CLI is not installed (" + rel(CLI) + "): run `make install`"); return 1; }
  if (a.port && a.port.startsWith("/dev/") && !fs.existsSync(a.port)) {
    console.error("flash.ts: no such port " + a.port + " (is the board plugged in? list ports with `" + rel(CLI) + " --list`)");
    return 1;
  }
  const code = fs.readFileSync(bundle, "utf8");
  if (a.dryRun) fs.mkdirSync(path.dirname(path.resolve(a.dryRun)), { recursive: true });
  const args = cliArgs(bundle, a.dryRun ? { out: a.dryRun } : { port: a.port }, a.baud);
  console.log((a.dryRun ? "writing the upload for " : "uploading ") + rel(bundle) + " (" + Buffer.byteLength(code) + " bytes) as " + BOOT_FILE +
    (a.dryRun ? " to " + a.dryRun : " to " + a.port + " at " + a.baud + " baud"));
  const r = spawnSync(CLI, args, { cwd: ROOT, encoding: "utf8", stdio: a.dryRun ? "pipe" : "inherit", timeout: a.dryRun ? 120000 : 600000 });
  if (r.error) { console.error("flash.ts: cannot run the espruino CLI: " + r.error.message); return 1; }
  if (r.status !== 0) {
    console.error("flash.ts: the espruino CLI failed (exit " + r.status + ")" + (r.stderr ? ":\n" + r.stderr : ""));
    return 1;
  }
  if (a.dryRun) {
    if (!fs.existsSync(a.dryRun)) { console.error("flash.ts: the CLI wrote no " + a.dryRun + ":\n" + (r.stdout || "") + (r.stderr || "")); return 1; }
    const check = checkUpload(fs.readFileSync(a.dryRun, "utf8"), code);
    if (check.problems.length) {
      console.error("flash.ts: the upload in " + a.dryRun + " is wrong:\n  " + check.problems.join("\n  "));
      return 1;
    }
    console.log(a.dryRun + ": " + check.chunks + " Storage.write chunks, " + check.bytes + " bytes, then load(\"" + BOOT_FILE + "\")");
  }
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
