// Flashing: the offline dry run writes exactly the upload make flash types (the firmware in the
// update-ready layout: stale slots erased, Storage compacted, fw.a and the loader each written
// in the CLI's chunks and read back, the boot region erased and read back blank, load(); a
// probe as .bootcde alone); the conversation with a board (tools/flash.ts flashOver) is
// checked against fakes that answer like a non-Espruino device, an old interpreter, a wrong
// flash layout, a corrupted store, a slot or loader that does not read back, a boot region
// that does not erase, and against the ESP32 twin (the real interpreter), where the exact
// upload of make flash-dry boots the terminal through the loader from fw.a to READY, also on a
// board whose boot control still names an old fw.b, keeping a provisioned acq-ca.der.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as acorn from "acorn";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import {
  BoardLink, FlashError, LinkTimeout, PROBE_LINE, probeBoard, VERIFY_LINE, checkUpload, cliArgs, flashOver, makeUpload, parseArgs, checkBoardInfo,
  makeFirmwareUpload, verifyLine, blankLine, blankCrc, eraseFileLine, erasePageLine, COMPACT_LINE, SLOT_A, SLOT_B, BOOT_FILE, LOADER_NOTE,
} from "../../tools/flash";
import { loadBoardFile } from "../../tools/board";
import { Twin, twinCommand, TWIN_DIR } from "../support/twin";
import { ROOT } from "../../tools/paths";
import { ESPRUINO_MODULES } from "../../tools/dialect";
import { bootControl, BootState, Slot } from "../../firmware/update/bootctl";
import { testCert } from "../../sim/bus/tls";

const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const FLASH = path.join(ROOT, "tools", "flash.ts");
const crc = (s: string | Uint8Array) => zlib.crc32(typeof s === "string" ? Buffer.from(s, "latin1") : s) >>> 0;
const BOOT = loadBoardFile("pos-esp32-v1").board.flashRegions.boot!;

function runFlash(args: string[]): { status: number | null; out: string } {
  const r = spawnSync(TSX, [FLASH].concat(args), { cwd: ROOT, encoding: "utf8", timeout: 120000 });
  return { status: r.status, out: (r.stdout || "") + (r.stderr || "") };
}

describe("flashing with the espruino CLI", function () {
  this.timeout(120000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tc-flash-"));
  // a bundle bigger than one 1 KB chunk, with quotes, backslashes and newlines in strings, and a
  // loader beside it (the firmware layout is chosen by the name firmware.js, as make build lays out dist/)
  const bundle = path.join(dir, "firmware.js");
  const code = "!function(){var s=\"a\\\"b\\\\c\\n'\";" + "var x=[" + Array.from({ length: 700 }, (_, i) => i).join(",") + "];console.log(s,x.length)}();";
  fs.writeFileSync(bundle, code);
  const loader = "!function(){var S=require(\"Storage\");global.__bootCode=S.read(\"fw.a\");" + "/*" + "l".repeat(1100) + "*/}();";
  fs.writeFileSync(path.join(dir, "loader.js"), loader);
  const probe = path.join(dir, "probe-x.js");
  fs.writeFileSync(probe, code);

  it("slot names agree with the loader's (firmware/update/bootctl.ts)", () => {
    assert.equal(SLOT_A, Slot.A);
    assert.equal(SLOT_B, Slot.B);
  });

  it("dry run of the firmware: reset(), stale slots erased, compact, fw.a and the loader each in chunks with a read-back, the boot region erased and read back blank, load()", () => {
    const upload = path.join(dir, "upload.js");
    const r = runFlash(["--board", "pos-esp32-v1", "--file", bundle, "--dry-run", upload]);
    assert.equal(r.status, 0, r.out);
    const text = fs.readFileSync(upload, "utf8");
    acorn.parse(text, { ecmaVersion: 5 }); // the upload itself is ES5 the interpreter parses
    const lines = text.trim().split("\n");
    const fwChunks = Math.ceil(code.length / 1024), ldChunks = Math.ceil(loader.length / 1024);
    assert.deepEqual(lines.slice(0, 5), ["reset()", 'require("Storage").erase("fw.b")', 'require("Storage").erase("fw.a")', 'require("Storage").erase(".bootcde")', COMPACT_LINE]);
    assert.match(lines[5]!, /^require\("Storage"\)\.write\("fw\.a",".*",0,\d+\);$/);
    assert.equal(lines[5 + fwChunks], verifyLine("fw.a"));
    assert.match(lines[6 + fwChunks]!, /^require\("Storage"\)\.write\("\.bootcde",".*",0,\d+\);$/);
    assert.equal(lines[6 + fwChunks + ldChunks], VERIFY_LINE);
    assert.deepEqual(lines.slice(-4), ['require("Flash").erasePage(0x31E000)', 'require("Flash").erasePage(0x31F000)', blankLine(BOOT), "load()"],
      "the boot region (boards/pos-esp32-v1.json flashRegions.boot) erased and checked, then load() with no argument: runs .bootcde, then onInit, as a power-up");
    assert.equal(lines.length, 5 + fwChunks + 1 + ldChunks + 1 + 4, "one statement per line");
    const check = checkUpload(text, code, { loader, boot: BOOT });
    assert.deepEqual(check.problems, []);
    assert.deepEqual(check.files, [{ name: "fw.a", chunks: fwChunks, bytes: code.length }, { name: ".bootcde", chunks: ldChunks, bytes: loader.length }]);
    assert.match(r.out, new RegExp("erase fw\\.b, fw\\.a, \\.bootcde; compact Storage; fw\\.a: " + fwChunks + " Storage.write chunks, " + code.length + " bytes, read-back"));
    assert.match(r.out, /\.bootcde \(loader\.js\): \d+ Storage\.write chunks/);
    assert.match(r.out, /erase the boot region 0x31E000-0x320000 \(2 sectors\), read back blank; then load\(\)/);
    assert.match(r.out, new RegExp("read back fw\\.a as " + code.length + " bytes, E\\.CRC32 " + crc(code) + ", and \\.bootcde as " + loader.length + " bytes, E\\.CRC32 " + crc(loader)));
    // the probe form of the same text is refused: the firmware must go in the layout
    assert.ok(checkUpload(text, code).problems.some((p) => /writes "fw\.a", not \.bootcde/.test(p)));
  });

  it("dry run of a probe: .bootcde alone (a bench tool), a read-back, then load()", () => {
    const upload = path.join(dir, "upload-probe.js");
    const r = runFlash(["--board", "pos-esp32-v1", "--file", probe, "--dry-run", upload]);
    assert.equal(r.status, 0, r.out);
    const text = fs.readFileSync(upload, "utf8");
    const lines = text.trim().split("\n");
    assert.equal(lines[0], "reset()");
    assert.match(lines[1]!, /^require\("Storage"\)\.write\("\.bootcde",/);
    assert.equal(lines[lines.length - 2], VERIFY_LINE);
    assert.equal(lines[lines.length - 1], "load()");
    const check = checkUpload(text, code);
    assert.deepEqual(check.problems, []);
    assert.equal(check.bytes, code.length);
    assert.equal(check.chunks, Math.ceil(code.length / 1024));
    assert.equal(lines.length, check.chunks + 3, "one statement per line");
    assert.ok(!/erase|compact/.test(text), "a probe leaves fw.a, fw.b and the boot region alone");
    assert.match(r.out, new RegExp(".bootcde: " + check.chunks + " Storage.write chunks, " + code.length + " bytes"));
    assert.match(r.out, /a probe is a bench tool: written as \.bootcde alone \(no loader\); fw\.a, fw\.b and the boot region are left as they are, and `make flash` puts the terminal back/);
  });

  it("the built firmware's dry run (make flash-dry) when dist/ has it", function () {
    const fw = path.join(ROOT, "dist", "pos-esp32-v1", "firmware.js");
    if (!fs.existsSync(fw)) this.skip();
    const upload = path.join(dir, "fw-upload.js");
    const r = runFlash(["--board", "pos-esp32-v1", "--dry-run", upload]);
    assert.equal(r.status, 0, r.out);
    const ld = fs.readFileSync(path.join(ROOT, "dist", "pos-esp32-v1", "loader.js"), "utf8");
    assert.deepEqual(checkUpload(fs.readFileSync(upload, "utf8"), fs.readFileSync(fw, "utf8"), { loader: ld, boot: BOOT }).problems, []);
  });

  it("checkUpload (probe) catches a missing chunk, a wrong file name, a missing read-back and load(\".bootcde\")", () => {
    const ok = 'reset()\nrequire("Storage").write(".bootcde","ab",0,4);\nrequire("Storage").write(".bootcde","cd",2);\n' + VERIFY_LINE + "\nload()\n";
    assert.deepEqual(checkUpload(ok, "abcd").problems, []);
    assert.ok(checkUpload(ok.replace(/.*"cd".*\n/, ""), "abcd").problems.some((p) => /reassemble/.test(p)));
    assert.ok(checkUpload(ok.replace(".bootcde\",\"ab", ".boot0\",\"ab"), "abcd").problems.some((p) => /writes ".boot0"/.test(p)));
    assert.ok(checkUpload(ok.replace("load()", ""), "abcd").problems.some((p) => /no load\(\)/.test(p)));
    assert.ok(checkUpload(ok.replace(VERIFY_LINE, ""), "abcd").problems.some((p) => /no read-back/.test(p)));
    assert.ok(checkUpload(ok.replace("load()", 'load(".bootcde")'), "abcd").problems.some((p) => /onInit never runs/.test(p)));
    assert.ok(checkUpload(ok + "print(1)\n", "abcd").problems.some((p) => /statement after load\(\)/.test(p)));
    // the CLI's own ending is rewritten
    const cli = 'require("Storage").write(".bootcde","ab",0,4);\nrequire("Storage").write(".bootcde","cd",2);\nload(".bootcde")\n';
    assert.equal(makeUpload(cli), ok);
  });

  it("checkUpload (firmware) catches a stale slot left, no compact, a slot or loader that does not reassemble or is not read back, the wrong order, a boot region not erased or not checked", () => {
    const fwCli = 'require("Storage").write("fw.a","ab",0,4);\nrequire("Storage").write("fw.a","cd",2);\nload("fw.a")\n';
    const ldCli = 'require("Storage").write(".bootcde","LD",0,2);\nload(".bootcde")\n';
    const ok = makeFirmwareUpload(fwCli, ldCli, BOOT);
    const layout = { loader: "LD", boot: BOOT };
    assert.equal(ok, ["reset()", eraseFileLine("fw.b"), eraseFileLine("fw.a"), eraseFileLine(".bootcde"), COMPACT_LINE,
      'require("Storage").write("fw.a","ab",0,4);', 'require("Storage").write("fw.a","cd",2);', verifyLine("fw.a"),
      'require("Storage").write(".bootcde","LD",0,2);', VERIFY_LINE, erasePageLine(0x31e000), erasePageLine(0x31f000), blankLine(BOOT), "load()"].join("\n") + "\n");
    assert.deepEqual(checkUpload(ok, "abcd", layout).problems, []);
    const bad = (u: string, re: RegExp, loaderText = "LD") => {
      const p = checkUpload(u, "abcd", { loader: loaderText, boot: BOOT }).problems;
      assert.ok(p.some((x) => re.test(x)), re + " not in " + JSON.stringify(p));
    };
    bad(ok.replace(eraseFileLine("fw.b") + "\n", ""), /no Storage\.erase of fw\.b \(a stale fw\.b could be booted\)/);
    bad(ok.replace(COMPACT_LINE + "\n", ""), /no Storage\.compact\(\) before the writes/);
    bad(ok.replace(/.*"cd".*\n/, ""), /the chunks of fw\.a do not reassemble to the bundle \(2 vs 4 characters\)/);
    bad(ok, /the chunks of \.bootcde do not reassemble to the loader/, "LDX");
    bad(ok.replace(verifyLine("fw.a") + "\n", ""), /no read-back of fw\.a/);
    bad(ok.replace(VERIFY_LINE + "\n", ""), /no read-back of \.bootcde/);
    bad(ok.replace(erasePageLine(0x31f000) + "\n", ""), /no erasePage of the boot region's sector 0x31F000/);
    bad(ok.replace(erasePageLine(0x31f000), erasePageLine(0x310000)), /erasePage outside the boot region: 0x310000/);
    bad(ok.replace(blankLine(BOOT) + "\n", ""), /no blank read-back of the boot region/);
    bad(ok.replace("load()", 'load("fw.a")'), /onInit never runs/);
    bad(ok.replace(/load\(\)\n$/, ""), /no load\(\)/);
    // order: the loader before fw.a is read back; the boot region before the read-backs; the check before the erase
    const lines = ok.trim().split("\n");
    const swap = (a: number, b: number) => { const l = lines.slice(); const t = l[a]!; l[a] = l[b]!; l[b] = t; return l.join("\n") + "\n"; };
    bad(swap(7, 8), /the loader \(\.bootcde\) is written before fw\.a is read back/);
    bad(swap(9, 10), /the boot region is erased before both files are read back/);
    bad(swap(11, 12), /the boot region's read-back comes before its erase/);
    bad(swap(4, 5), /Storage\.compact\(\) must come after the erases and before the writes/);
    bad(swap(3, 5), /Storage\.erase of \.bootcde after the first write/);
    bad(ok.replace('write("fw.a","cd"', 'write("fw.c","cd"'), /chunk 1 writes "fw\.c", not fw\.a or \.bootcde/);
  });

  it("uses the offline-safe CLI options: local board JSON, Storage upload, no CLI minify, 115200 baud", () => {
    const args = cliArgs("dist/x/firmware.js", { port: "/dev/ttyUSB0" }, 115200);
    const joined = args.join(" ");
    assert.match(joined, /-p \/dev\/ttyUSB0 -b 115200/);
    assert.match(joined, /--board \S*boards\/esp32-cli\.json/);
    assert.match(joined, /--storage \.bootcde:-/);
    assert.match(cliArgs("dist/x/firmware.js", { out: "o.js" }, 115200, "fw.a").join(" "), /-n -o \S*o\.js .*--storage fw\.a:- \S*dist\/x\/firmware\.js$/);
    assert.match(joined, /MINIFICATION_Mangle=false/);
    assert.ok(args.indexOf("-m") < 0, "no CLI minification");
    const cliBoard = JSON.parse(fs.readFileSync(path.join(ROOT, "boards", "esp32-cli.json"), "utf8"));
    assert.equal(cliBoard.info.binary_version, "2v29");
    assert.equal(cliBoard.chip.saved_code.address, 0x320000);
    // every module the gate lets firmware require() must be built in for the CLI, or it goes online
    assert.deepEqual([...ESPRUINO_MODULES].sort(), cliBoard.info.builtin_modules.slice().sort());
  });

  it("clear errors: no port, no bundle, no loader beside the firmware, unknown board", () => {
    assert.match(String(parseArgs(["--board", "pos-esp32-v1"])), /no port given/);
    let r = runFlash(["--board", "pos-esp32-v1", "--port", "/dev/tty-no-such-port"]);
    if (fs.existsSync(path.join(ROOT, "dist", "pos-esp32-v1", "firmware.js"))) {
      assert.equal(r.status, 1, r.out);
      assert.match(r.out, /no such port \/dev\/tty-no-such-port/);
    }
    r = runFlash(["--board", "pos-esp32-v1", "--file", path.join(dir, "missing.js"), "--dry-run", path.join(dir, "u.js")]);
    assert.equal(r.status, 1);
    assert.match(r.out, /missing\.js does not exist: run `make build BOARD=pos-esp32-v1` first/);
    const lone = fs.mkdtempSync(path.join(os.tmpdir(), "tc-flash-lone-"));
    fs.writeFileSync(path.join(lone, "firmware.js"), code);
    r = runFlash(["--board", "pos-esp32-v1", "--file", path.join(lone, "firmware.js"), "--dry-run", path.join(lone, "u.js")]);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /^flash\.ts: \S*loader\.js does not exist \(the firmware boots through it from slot fw\.a\): run `make build BOARD=pos-esp32-v1` first\n$/);
    assert.ok(!fs.existsSync(path.join(lone, "u.js")), "nothing written");
    fs.rmSync(lone, { recursive: true, force: true });
    if (fs.existsSync(path.join(ROOT, "dist", "pos-esp32-v1", "firmware.js"))) {
      // a port that exists but is not a serial port
      r = runFlash(["--board", "pos-esp32-v1", "--port", "/dev/null"]);
      assert.equal(r.status, 1, r.out);
      assert.match(r.out, /flash\.ts: cannot open \/dev\/null as a serial port: /);
      assert.doesNotMatch(r.out, /flashed/);
    }
    r = runFlash(["--board", "nope", "--port", "/dev/ttyUSB0"]);
    assert.equal(r.status, 2);
    assert.match(r.out, /boards\/nope\.json: no such board file/);
  });
});

/** A fake console that answers like the options say: an Espruino (evaluating the upload's
 *  Storage and Flash lines against an in-memory Storage and flash, and its print lines), a
 *  silent or chattering non-Espruino device, an old interpreter, another flash layout, a store
 *  that corrupts a byte of one chunk, a chunk refused, a compaction that throws, a boot region
 *  that does not erase. */
interface FakeOptions {
  silent?: boolean; chatter?: string; version?: string; storage?: number; free?: { addr: number; length: number }[];
  corruptChunk?: number; refuseChunk?: number; start?: string; compactFails?: boolean; stuckSector?: number;
}
const FW_START = "loader: no boot control: recorded slot 0\r\nSCREEN STARTING | Checking host...\r\nPOS firmware on pos-esp32-v1\r\n";
class FakeBoard implements BoardLink {
  files: Record<string, string> = {};
  /** raw flash sectors by address (absent: blank) */
  sectors = new Map<number, Uint8Array>();
  compacted = 0;
  sent: string[] = [];
  private chunk = 0;
  constructor(private o: FakeOptions = {}) {}
  async exchange(line: string, until: RegExp, ms: number): Promise<string> {
    this.sent.push(line);
    if (this.o.silent) throw new LinkTimeout("", ms);
    if (this.o.chatter !== undefined) throw new LinkTimeout(this.o.chatter, ms);
    const cmd = line.replace(/^\x03/, "");
    const out = ">" + cmd + "\r\n" + this.answer(cmd);
    const m = until.exec(out);
    if (!m) throw new LinkTimeout(out, ms);
    return out.slice(0, m.index + m[0].length);
  }
  close(): void {}
  sector(a: number): Uint8Array {
    const base = a & ~0xfff;
    if (!this.sectors.has(base)) this.sectors.set(base, new Uint8Array(4096).fill(0xff));
    return this.sectors.get(base)!;
  }
  private answer(cmd: string): string {
    if (cmd === PROBE_LINE) {
      const info = { v: this.o.version ?? "2v29", board: "ESP32", flash: 4194304, storage: this.o.storage ?? 917504,
        free: this.o.free ?? [{ addr: 0x310000, length: 0x10000 }, { addr: 0x360000, length: 0xa0000 }] };
      return "FLASH-ID " + JSON.stringify(info) + "\r\n=undefined\r\n>";
    }
    if (cmd === "reset()") return "=undefined\r\n\r\n ____  ... Espruino banner ...\r\n>";
    if (cmd === "load()") return this.o.start ?? (this.files[SLOT_A] ? FW_START : "SCREEN STARTING | Checking host...\r\nPOS firmware on pos-esp32-v1\r\n");
    let printed = "";
    const storage = {
      write: (name: string, data: string, offset?: number) => {
        const n = this.chunk++;
        if (n === this.o.refuseChunk) throw new Error("File already written with different data");
        if (n === this.o.corruptChunk) data = String.fromCharCode(data.charCodeAt(0) ^ 1) + data.slice(1);
        const cur = this.files[name] ?? "";
        this.files[name] = cur.slice(0, offset ?? 0) + data;
        return true;
      },
      read: (name: string) => this.files[name],
      erase: (name: string) => { delete this.files[name]; },
      compact: () => { if (this.o.compactFails) throw new Error("Storage is corrupt"); this.compacted++; },
    };
    const flash = {
      read: (n: number, a: number) => this.sector(a).slice(a & 0xfff, (a & 0xfff) + n),
      erasePage: (a: number) => { if ((a & ~0xfff) !== this.o.stuckSector) this.sector(a).fill(0xff); },
    };
    const E = { CRC32: (d: string | Uint8Array) => crc(d) };
    const print = (...args: unknown[]) => { printed += args.map(String).join(" ") + "\r\n"; };
    let result: any;
    try {
      result = new Function("require", "E", "print", "return " + cmd.replace(/;$/, ""))((m: string) => m === "Flash" ? flash : storage, E, print);
    } catch (e) {
      return "Uncaught Error: " + (e as Error).message + "\r\n>";
    }
    return printed + "=" + String(result) + "\r\n>";
  }
}

describe("make flash: the conversation with a board (fakes)", () => {
  const board = loadBoardFile("pos-esp32-v1").board;
  const code = "!function(){var s=\"x\\\"y\";" + "var a=[" + Array.from({ length: 900 }, (_, i) => i).join(",") + "];console.log(s,a.length)}();";
  const loader = "!function(){global.__bootCode=require(\"Storage\").read(\"fw.a\")/*" + "z".repeat(1500) + "*/}();";
  const cliOf = (name: string, text: string) => {
    const chunks = [];
    for (let o = 0; o < text.length; o += 1024) chunks.push("require(\"Storage\").write(" + JSON.stringify(name) + "," + JSON.stringify(text.slice(o, o + 1024)) + "," + o + (o ? "" : "," + text.length) + ");");
    return chunks.join("\n") + "\nload(" + JSON.stringify(name) + ")\n";
  };
  const upload = makeUpload(cliOf(".bootcde", code));
  const fwUpload = makeFirmwareUpload(cliOf("fw.a", code), cliOf(".bootcde", loader), board.flashRegions.boot!);
  const fwChunks = Math.ceil(code.length / 1024), ldChunks = Math.ceil(loader.length / 1024);
  const files = { [SLOT_A]: code, [BOOT_FILE]: loader };
  const START = /POS firmware on [^\r\n]*\r?\n/;
  const FW_OPTS = { startMarker: START, loaderNote: LOADER_NOTE };
  /** a board after an update to fw.b: the old slots, an old loader, a provisioned CA, and a
   *  boot control snapshot naming fw.b */
  const updated = (b: FakeBoard) => {
    b.files = { [SLOT_A]: "old v1", [SLOT_B]: "old v2", [BOOT_FILE]: "old loader", "acq-ca.der": "\x30\x82CA" };
    b.sector(0x31e000).set([0x42, 0x4f, 0x4f, 0x54, 1, 0, 0, 0, 1, 0]);
    return b;
  };

  async function fails(o: FakeOptions, re: RegExp, opts: { firmware?: boolean; prepare?: (b: FakeBoard) => void } = {}): Promise<FakeBoard> {
    const b = new FakeBoard(o);
    if (opts.prepare) opts.prepare(b);
    const run = opts.firmware ? flashOver(b, board, fwUpload, files, "/dev/fake", FW_OPTS) : flashOver(b, board, upload, { [BOOT_FILE]: code }, "/dev/fake", { startMarker: START });
    await assert.rejects(run, (e: Error) => {
      assert.ok(e instanceof FlashError, String(e));
      assert.match(e.message, re);
      assert.ok(!/\n/.test(e.message), "one line: " + e.message);
      return true;
    });
    return b;
  }

  it("the firmware: stale slots erased, Storage compacted (acq-ca.der kept), fw.a and the loader stored and read back, boot control erased and blank, then load(): loader note and banner seen", async () => {
    assert.deepEqual(checkUpload(fwUpload, code, { loader, boot: board.flashRegions.boot! }).problems, []);
    const b = updated(new FakeBoard());
    const logs: string[] = [];
    const r = await flashOver(b, board, fwUpload, files, "/dev/fake", { ...FW_OPTS, log: (s) => logs.push(s) });
    assert.deepEqual(b.files, { [SLOT_A]: code, [BOOT_FILE]: loader, "acq-ca.der": "\x30\x82CA" }, "fw.b gone, the CA kept");
    assert.equal(b.compacted, 1);
    assert.equal(crc(b.sectors.get(0x31e000)!), blankCrc(4096), "the snapshot naming fw.b is erased");
    assert.deepEqual(r.files, [{ name: "fw.a", chunks: fwChunks, bytes: code.length, crc: crc(code) }, { name: ".bootcde", chunks: ldChunks, bytes: loader.length, crc: crc(loader) }]);
    assert.equal(r.chunks, fwChunks + ldChunks);
    assert.equal(r.crc, crc(code));
    assert.equal(r.bootErased, 2);
    assert.equal(r.started, "POS firmware on pos-esp32-v1");
    assert.equal(b.sent[b.sent.length - 1], "load()");
    assert.equal(b.sent[b.sent.length - 2], blankLine(board.flashRegions.boot!));
    assert.ok(logs.some((l) => /^read back: fw\.a \d+ bytes, CRC32 \d+ = bundle$/.test(l)), logs.join("\n"));
    assert.ok(logs.some((l) => /^read back: \.bootcde \d+ bytes, CRC32 \d+ = loader$/.test(l)), logs.join("\n"));
    assert.ok(logs.some((l) => /^boot control reset: 2 sectors at 0x31E000 read back blank$/.test(l)), logs.join("\n"));
  });

  it("a probe: every chunk stored as .bootcde, read back (length, CRC32), then load(), banner seen; the slots and boot control untouched", async () => {
    assert.deepEqual(checkUpload(upload, code).problems, []);
    const b = updated(new FakeBoard());
    const r = await flashOver(b, board, upload, { [BOOT_FILE]: code }, "/dev/fake", { startMarker: START });
    assert.equal(b.files[".bootcde"], code);
    assert.equal(b.files["fw.b"], "old v2");
    assert.equal(b.sectors.get(0x31e000)![0], 0x42);
    assert.equal(r.chunks, Math.ceil(code.length / 1024));
    assert.equal(r.crc, crc(code));
    assert.equal(r.bootErased, 0);
    assert.equal(r.started, "POS firmware on pos-esp32-v1");
    assert.equal(b.sent[b.sent.length - 1], "load()");
    assert.equal(b.sent[b.sent.length - 2], VERIFY_LINE);
  });

  it("no answer, or a device that is not Espruino: one line, nothing written", async () => {
    let b = await fails({ silent: true }, /^no Espruino interpreter answered on \/dev\/fake \(a board that is not Espruino, the wrong port or baud rate\?\)$/);
    assert.equal(b.sent.length, 1);
    b = await fails({ chatter: ">>> \r\nTraceback (most recent call last):\r\nSyntaxError: invalid syntax\r\n>>> " }, /no Espruino interpreter answered on \/dev\/fake.*it said: >>> +Traceback/);
    assert.equal(b.sent.length, 1);
  });

  it("an interpreter older than the board file's mcu.espruino: one line, nothing written", async () => {
    const b = await fails({ version: "2v20" }, /the board runs Espruino 2v20; the firmware needs 2v29 or later \(boards\/pos-esp32-v1\.json mcu\.espruino\)/, { firmware: true });
    assert.equal(b.sent.length, 1);
    // a newer or cutting-edge build is fine
    await flashOver(new FakeBoard({ version: "2v29.277" }), board, upload, { [BOOT_FILE]: code }, "/dev/fake", { startMarker: START });
    await flashOver(new FakeBoard({ version: "3v01" }), board, fwUpload, files, "/dev/fake", FW_OPTS);
  });

  it("a flash layout that differs from the board file: one line, nothing written", async () => {
    let b = await fails({ storage: 0x40000 }, /flash layout differs from boards\/pos-esp32-v1\.json: Storage 262144 bytes, board file 917504/);
    assert.equal(b.sent.length, 1);
    b = await fails({ free: [{ addr: 0x360000, length: 0xa0000 }] }, /journal 0x310000-0x319000 not in require\("Flash"\)\.getFree\(\).*; audit 0x319000-0x31C000 not in .*; boot 0x31E000-0x320000 not in/);
    assert.equal(b.sent.length, 1);
    assert.equal(checkBoardInfo({ v: "2v29", flash: 4194304, storage: 917504, free: [{ addr: 0, length: 4194304 }] }, board), "", "the twin's getFree (whole flash)");
  });

  it("a stored file that does not read back as the bundle is not started", async () => {
    const b = await fails({ corruptChunk: 1 }, /the stored \.bootcde differs from the bundle: \d+ bytes, CRC32 \d+ on the board; \d+ bytes, CRC32 \d+ sent \(not started\)/);
    assert.ok(b.sent.indexOf("load()") < 0, "load() never sent");
  });

  it("a slot fw.a that does not read back: not started, no loader written, the old boot control left (it names no slot that exists)", async () => {
    const b = await fails({ corruptChunk: 1 }, /^the stored fw\.a differs from the bundle: \d+ bytes, CRC32 \d+ on the board; \d+ bytes, CRC32 \d+ sent \(not started\)$/, { firmware: true, prepare: updated });
    assert.ok(b.sent.indexOf("load()") < 0, "load() never sent");
    assert.equal(b.files[BOOT_FILE], undefined, "no boot code: a power cycle starts a bare interpreter, never a half-written slot");
    assert.equal(b.files[SLOT_B], undefined, "the stale fw.b is gone");
    assert.equal(b.files["acq-ca.der"], "\x30\x82CA");
  });

  it("a loader that does not read back, a Storage that does not compact: not started", async () => {
    let b = await fails({ corruptChunk: fwChunks + 1 }, /^the stored \.bootcde differs from the loader: \d+ bytes, CRC32 \d+ on the board; \d+ bytes, CRC32 \d+ sent \(not started\)$/, { firmware: true, prepare: updated });
    assert.ok(b.sent.indexOf("load()") < 0, "load() never sent");
    assert.equal(b.files[SLOT_A], code, "fw.a was written and read back first");
    b = await fails({ compactFails: true }, /^the board could not compact Storage: Uncaught Error: Storage is corrupt$/, { firmware: true, prepare: updated });
    assert.ok(!b.sent.some((l) => /write\("fw\.a"/.test(l)), "nothing written after a failed compaction");
  });

  it("a boot region that does not erase: not started (a stale boot control could boot an old slot)", async () => {
    for (const stuck of [0x31e000, 0x31f000]) {
      const b = await fails({ stuckSector: stuck }, new RegExp("^the boot region did not erase: sector 0x" + stuck.toString(16).toUpperCase() + " of boards/pos-esp32-v1\\.json flashRegions\\.boot reads back not blank \\(CRC32 \\d+, blank " + blankCrc(4096) + "\\); not started: a stale boot control could boot an old slot$"),
        { firmware: true, prepare: (x) => { updated(x); x.sector(0x31f000).set([1, 2, 3]); } });
      assert.ok(b.sent.indexOf("load()") < 0, "load() never sent");
    }
  });

  it("a refused chunk, and a start that fails, are errors", async () => {
    const b = await fails({ refuseChunk: 1 }, /the board refused chunk 1 \(require\("Storage"\)\.write\("\.bootcde",[^)]*\.\.\.\): Uncaught Error: File already written/);
    assert.ok(b.sent.indexOf(VERIFY_LINE) < 0);
    await fails({ start: "Uncaught Error: Function \"x\" not found!\r\n" }, /the firmware failed at start: Uncaught Error: Function "x" not found!/);
    await fails({ start: "BOARD MISMATCH: journal not raw flash\r\n" }, /failed at start: BOARD MISMATCH: journal not raw flash/);
    await fails({ start: "" }, /the firmware did not start within 60 s after load\(\) \(no POS firmware on/);
  });

  it("through the loader: no slot to boot, or a slot not recorded, are errors", async () => {
    await fails({ start: "loader: no bootable firmware slot (make flash)\r\n" }, /^the firmware failed at start: loader: no bootable firmware slot \(make flash\)$/, { firmware: true });
    await fails({ start: "loader: no boot control: boot control write failed\r\nPOS firmware on pos-esp32-v1\r\n" },
      /^the loader did not record fw\.a as the running slot \(loader: no boot control: boot control write failed\): the terminal would refuse updates$/, { firmware: true });
    await fails({ start: "POS firmware on pos-esp32-v1\r\n" }, /^the loader did not record fw\.a as the running slot \(no loader line\)/, { firmware: true });
  });
});

describe("make flash on the ESP32 twin (the real Espruino 2v29 interpreter)", function () {
  this.timeout(150000);
  const how = twinCommand();
  const fw = path.join(ROOT, "dist", "pos-esp32-v1", "firmware.js");
  let twin: Twin | null = null;
  before(function () {
    if ("skip" in how) { console.log("      skipped: " + how.skip + " (looked in " + TWIN_DIR + ")"); this.skip(); }
  });
  afterEach(() => { if (twin) twin.kill(); twin = null; });

  it("the probe reads the twin's version and layout; a newer minimum or another layout is refused", async () => {
    twin = await Twin.start((how as { cmd: string[] }).cmd);
    const board = loadBoardFile("pos-esp32-v1").board;
    const info = await probeBoard(twin.link, board, "twin");
    assert.equal(info.v, "2v29");
    assert.equal(info.storage, board.partitions.storage.size);
    await assert.rejects(probeBoard(twin.link, { ...board, mcu: { ...board.mcu, espruino: "2v30" } }, "twin", false), /runs Espruino 2v29; the firmware needs 2v30/);
    await assert.rejects(probeBoard(twin.link, { ...board, partitions: { ...board.partitions, storage: { base: 0x300000, size: 0x100000 } } }, "twin", false), /Storage 917504 bytes, board file 1048576/);
  });

  /** the same command as `make flash-dry` (to a temporary file: dist/ is shared), checked */
  function dryRun(): { upload: string; code: string; loader: string; dir: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tc-twin-"));
    const out = path.join(dir, "upload.js");
    const r = runFlash(["--board", "pos-esp32-v1", "--dry-run", out]);
    assert.equal(r.status, 0, r.out);
    const code = fs.readFileSync(fw, "latin1");
    const loader = fs.readFileSync(path.join(path.dirname(fw), "loader.js"), "latin1");
    const upload = fs.readFileSync(out, "latin1");
    assert.deepEqual(checkUpload(upload, code, { loader, boot: BOOT }).problems, [], "dist/ changed under the test? rerun");
    return { upload, code, loader, dir };
  }
  /** types a line printing `tag` and what follows it, returns that */
  async function ask(tag: string, expr: string): Promise<string> {
    const out = await twin!.link.exchange('print("T-"+"' + tag + '",' + expr + ")", new RegExp("T-" + tag + " ([^\\r\\n]*)\\r?\\n"), 30000);
    return new RegExp("T-" + tag + " ([^\\r\\n]*)\\r?\\n").exec(out)![1]!;
  }
  /** the boot control as the loader left it (the newest valid snapshot of the two sectors) */
  async function bootState(): Promise<BootState | null> {
    const b64 = (await ask("SNAP", 'btoa(require("Flash").read(64,' + BOOT.base + '))+" "+btoa(require("Flash").read(64,' + (BOOT.base + BOOT.sectorSize) + "))")).split(" ");
    const blankDev = { read: (n: number) => new Uint8Array(n).fill(0xff), write: () => {}, erasePage: () => {} };
    const ctl = bootControl(blankDev, BOOT, (d) => crc(d));
    const states = b64.map((x) => ctl.decode(new Uint8Array(Buffer.from(x, "base64")))).filter((x) => x) as BootState[];
    return states.sort((a, b) => b.seq - a.seq)[0] ?? null;
  }
  async function flashAndBoot(upload: string, code: string, loader: string): Promise<{ res: Awaited<ReturnType<typeof flashOver>>; boot: string }> {
    const res = await flashOver(twin!.link, loadBoardFile("pos-esp32-v1").board, upload, { [SLOT_A]: code, [BOOT_FILE]: loader }, "twin",
      { startMarker: /POS firmware on [^\r\n]*\r?\n/, loaderNote: LOADER_NOTE });
    assert.equal(res.started, "POS firmware on pos-esp32-v1");
    assert.ok(await twin!.waitFor(/SCREEN READY/, 40000), "no SCREEN READY: " + twin!.link.transcript.slice(-600));
    const boot = twin!.link.transcript.slice(twin!.link.transcript.lastIndexOf(">load()"));
    assert.ok(!/BOARD MISMATCH|Uncaught/.test(boot), boot);
    const note = boot.indexOf("loader: no boot control: recorded slot 0");
    assert.ok(note > 0 && boot.indexOf("SCREEN READY") > note && boot.indexOf("POS firmware on pos-esp32-v1") > note,
      "through the loader from fw.a to READY: " + JSON.stringify(boot.slice(0, 800)));
    assert.deepEqual(res.files.map((f) => [f.name, f.bytes, f.crc]), [[SLOT_A, code.length, crc(code)], [BOOT_FILE, loader.length, crc(loader)]]);
    assert.equal(res.bootErased, 2);
    // the loader recorded fw.a (length, CRC-32, the version and journal format of the bundle's
    // POSFW tag; 0 for a bundle without one) as the confirmed slot: updates can start
    const st = await bootState();
    assert.ok(st, "no boot control after the first boot");
    assert.equal(st!.active, 0);
    assert.equal(st!.trial, false);
    const tag = /POSFW v(\d+) jf(\d+)/.exec(code);
    assert.deepEqual(st!.slots[0], { version: tag ? Number(tag[1]) : 0, length: code.length, crc: crc(code), fmt: tag ? Number(tag[2]) : 0 });
    return { res, boot };
  }

  it("the exact upload of make flash-dry, typed line by line, is read back and boots the terminal through the loader from fw.a to READY", async function () {
    if (!fs.existsSync(fw)) { console.log("      skipped: no " + fw + " (make build)"); this.skip(); }
    const t0 = Date.now();
    const { upload, code, loader, dir } = dryRun();
    twin = await Twin.start((how as { cmd: string[] }).cmd);
    const { res } = await flashAndBoot(upload, code, loader);
    assert.deepEqual(JSON.parse(await ask("LIST", 'JSON.stringify(require("Storage").list())')).sort(), [".bootcde", "fw.a"]);
    console.log(`        twin: ${res.files.map((f) => f.name + " " + f.chunks + " chunks, " + f.bytes + " bytes, CRC32 " + f.crc).join("; ")} read back, boot control reset, READY in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a board updated to fw.b (boot control naming it, an old loader and slots, a provisioned acq-ca.der): the reflash boots the new fw.a, the CA survives, the trash is compacted away", async function () {
    if (!fs.existsSync(fw)) { console.log("      skipped: no " + fw + " (make build)"); this.skip(); }
    const t0 = Date.now();
    const { upload, code, loader, dir } = dryRun();
    twin = await Twin.start((how as { cmd: string[] }).cmd);
    const type = async (line: string) => {
      const out = await twin!.link.exchange(line, /(?:^|\n)(=[^\r\n]*|Uncaught[^\r\n]*)\r?\n/, 30000);
      assert.match(out, /\n=(true|undefined)\r?\n/, line.slice(0, 80) + ": " + out.slice(-200));
    };
    // the state an update leaves: v1 in fw.a, v2 in fw.b (confirmed, active), the loader as
    // .bootcde, the TLS CA provisioned
    const ca = testCert("ca.der");
    const oldA = " ".repeat(40000), oldB = 'print("OLD FIRMWARE "+"fw.b booted")';
    await type('require("Storage").write("acq-ca.der",atob("' + ca.toString("base64") + '"))');
    // written twice, as an update rewrites a slot: the first copy is trash
    for (const fill of [59, 32]) await type('require("Storage").write("fw.a",E.toString(new Uint8Array(' + oldA.length + ").fill(" + fill + ")))");
    await type('require("Storage").write("fw.b",' + JSON.stringify(oldB) + ")");
    for (const l of upload.split("\n").filter((x) => /^require\("Storage"\)\.write\("\.bootcde"/.test(x))) await type(l);
    const snap: BootState = { seq: 7, active: 1, trial: false, failed: 0, slots: [
      { version: 1, length: oldA.length, crc: crc(oldA), fmt: 2 }, { version: 2, length: oldB.length, crc: crc(oldB), fmt: 2 }] };
    const blankDev = { read: (n: number) => new Uint8Array(n).fill(0xff), write: () => {}, erasePage: () => {} };
    const bytes = bootControl(blankDev, BOOT, (d) => crc(d)).encode(snap);
    await type('require("Flash").write(new Uint8Array([' + Array.from(bytes).join(",") + "])," + BOOT.base + ")");
    assert.deepEqual(await bootState(), snap);
    // the hazard on the real interpreter: that board boots the old fw.b
    const old = await twin.link.exchange("load()", /OLD FIRMWARE fw\.b booted\r?\n|Uncaught[^\r\n]*\r?\n/, 30000);
    assert.match(old, /OLD FIRMWARE fw\.b booted/);
    const was = JSON.parse(await ask("STATS", 'JSON.stringify(require("Storage").getStats())'));
    assert.ok(was.trashBytes >= oldA.length, JSON.stringify(was));
    // make flash
    await flashAndBoot(upload, code, loader);
    const boot = twin.link.transcript.slice(twin.link.transcript.lastIndexOf(">load()"));
    assert.ok(!/OLD FIRMWARE/.test(boot), boot);
    assert.match(twin.link.transcript, /Compacting/, "Storage was compacted");
    assert.deepEqual(JSON.parse(await ask("LIST", 'JSON.stringify(require("Storage").list())')).sort(), [".bootcde", "acq-ca.der", "fw.a"]);
    assert.equal(await ask("CA", 'E.CRC32(require("Storage").read("acq-ca.der"))+" "+require("Storage").read("acq-ca.der").length'), crc(ca) + " " + ca.length, "acq-ca.der survives byte for byte");
    const after = JSON.parse(await ask("STATS", 'JSON.stringify(require("Storage").getStats())'));
    assert.equal(after.trashBytes, 0, "the old slots and loader were compacted away: " + JSON.stringify(after));
    assert.equal(after.fileCount, 3);
    console.log(`        twin: old fw.b booted before; after the reflash fw.a to READY, acq-ca.der kept, Storage free ${was.freeBytes} -> ${after.freeBytes} bytes, trash ${was.trashBytes} -> ${after.trashBytes}, in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
