// Flashing: the offline dry run writes exactly the upload make flash types (the CLI's chunks,
// a read-back, load()); the conversation with a board (tools/flash.ts flashOver) is
// checked against fakes that answer like a non-Espruino device, an old interpreter, a wrong
// flash layout or a corrupted store, and against the ESP32 twin (the real interpreter), where
// the exact upload of make flash-dry brings the terminal to READY.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as acorn from "acorn";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { BoardLink, FlashError, LinkTimeout, PROBE_LINE, probeBoard, VERIFY_LINE, checkUpload, cliArgs, flashOver, makeUpload, parseArgs, checkBoardInfo } from "../../tools/flash";
import { loadBoardFile } from "../../tools/board";
import { Twin, twinCommand, TWIN_DIR } from "../support/twin";
import { ROOT } from "../../tools/paths";
import { ESPRUINO_MODULES } from "../../tools/dialect";

const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const FLASH = path.join(ROOT, "tools", "flash.ts");

function runFlash(args: string[]): { status: number | null; out: string } {
  const r = spawnSync(TSX, [FLASH].concat(args), { cwd: ROOT, encoding: "utf8", timeout: 120000 });
  return { status: r.status, out: (r.stdout || "") + (r.stderr || "") };
}

describe("flashing with the espruino CLI", function () {
  this.timeout(120000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tc-flash-"));
  // a bundle bigger than one 1 KB chunk, with quotes, backslashes and newlines in strings
  const bundle = path.join(dir, "firmware.js");
  const code = "!function(){var s=\"a\\\"b\\\\c\\n'\";" + "var x=[" + Array.from({ length: 700 }, (_, i) => i).join(",") + "];console.log(s,x.length)}();";
  fs.writeFileSync(bundle, code);

  it("dry run: reset(), Storage.write chunks of .bootcde that reassemble to the bundle, a read-back, then load()", () => {
    const upload = path.join(dir, "upload.js");
    const r = runFlash(["--board", "pos-esp32-v1", "--file", bundle, "--dry-run", upload]);
    assert.equal(r.status, 0, r.out);
    const text = fs.readFileSync(upload, "utf8");
    acorn.parse(text, { ecmaVersion: 5 }); // the upload itself is ES5 the interpreter parses
    const lines = text.trim().split("\n");
    assert.equal(lines[0], "reset()");
    assert.match(lines[1]!, /^require\("Storage"\)\.write\("\.bootcde",/);
    assert.equal(lines[lines.length - 2], VERIFY_LINE);
    assert.equal(lines[lines.length - 1], "load()", "load() with no argument: runs .bootcde, then onInit, as a power-up");
    const check = checkUpload(text, code);
    assert.deepEqual(check.problems, []);
    assert.equal(check.bytes, code.length);
    assert.equal(check.chunks, Math.ceil(code.length / 1024));
    assert.equal(lines.length, check.chunks + 3, "one statement per line");
    assert.match(r.out, new RegExp(check.chunks + " Storage.write chunks, " + code.length + " bytes"));
  });

  it("the built firmware's dry run (make flash-dry) when dist/ has it", function () {
    const fw = path.join(ROOT, "dist", "pos-esp32-v1", "firmware.js");
    if (!fs.existsSync(fw)) this.skip();
    const upload = path.join(dir, "fw-upload.js");
    const r = runFlash(["--board", "pos-esp32-v1", "--dry-run", upload]);
    assert.equal(r.status, 0, r.out);
    assert.deepEqual(checkUpload(fs.readFileSync(upload, "utf8"), fs.readFileSync(fw, "utf8")).problems, []);
  });

  it("checkUpload catches a missing chunk, a wrong file name, a missing read-back and load(\".bootcde\")", () => {
    const ok = 'reset()\nrequire("Storage").write(".bootcde","ab",0,4);\nrequire("Storage").write(".bootcde","cd",2);\n' + VERIFY_LINE + "\nload()\n";
    assert.deepEqual(checkUpload(ok, "abcd").problems, []);
    assert.ok(checkUpload(ok.replace(/.*"cd".*\n/, ""), "abcd").problems.some((p) => /reassemble/.test(p)));
    assert.ok(checkUpload(ok.replace(".bootcde\",\"ab", ".boot0\",\"ab"), "abcd").problems.some((p) => /writes ".boot0"/.test(p)));
    assert.ok(checkUpload(ok.replace("load()", ""), "abcd").problems.some((p) => /no load\(\)/.test(p)));
    assert.ok(checkUpload(ok.replace(VERIFY_LINE, ""), "abcd").problems.some((p) => /no read-back/.test(p)));
    assert.ok(checkUpload(ok.replace("load()", 'load(".bootcde")'), "abcd").problems.some((p) => /onInit never runs/.test(p)));
    // the CLI's own ending is rewritten
    const cli = 'require("Storage").write(".bootcde","ab",0,4);\nrequire("Storage").write(".bootcde","cd",2);\nload(".bootcde")\n';
    assert.equal(makeUpload(cli), ok);
  });

  it("uses the offline-safe CLI options: local board JSON, Storage upload, no CLI minify, 115200 baud", () => {
    const args = cliArgs("dist/x/firmware.js", { port: "/dev/ttyUSB0" }, 115200);
    const joined = args.join(" ");
    assert.match(joined, /-p \/dev\/ttyUSB0 -b 115200/);
    assert.match(joined, /--board \S*boards\/esp32-cli\.json/);
    assert.match(joined, /--storage \.bootcde:-/);
    assert.match(joined, /MINIFICATION_Mangle=false/);
    assert.ok(args.indexOf("-m") < 0, "no CLI minification");
    const cliBoard = JSON.parse(fs.readFileSync(path.join(ROOT, "boards", "esp32-cli.json"), "utf8"));
    assert.equal(cliBoard.info.binary_version, "2v29");
    assert.equal(cliBoard.chip.saved_code.address, 0x320000);
    // every module the gate lets firmware require() must be built in for the CLI, or it goes online
    assert.deepEqual([...ESPRUINO_MODULES].sort(), cliBoard.info.builtin_modules.slice().sort());
  });

  it("clear errors: no port, no bundle, unknown board", () => {
    assert.match(String(parseArgs(["--board", "pos-esp32-v1"])), /no port given/);
    let r = runFlash(["--board", "pos-esp32-v1", "--port", "/dev/tty-no-such-port"]);
    if (fs.existsSync(path.join(ROOT, "dist", "pos-esp32-v1", "firmware.js"))) {
      assert.equal(r.status, 1, r.out);
      assert.match(r.out, /no such port \/dev\/tty-no-such-port/);
    }
    r = runFlash(["--board", "pos-esp32-v1", "--file", path.join(dir, "missing.js"), "--dry-run", path.join(dir, "u.js")]);
    assert.equal(r.status, 1);
    assert.match(r.out, /missing\.js does not exist: run `make build BOARD=pos-esp32-v1` first/);
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
 *  Storage.write lines against an in-memory Storage), a silent or chattering non-Espruino
 *  device, an old interpreter, another flash layout, a store that corrupts a byte. */
interface FakeOptions {
  silent?: boolean; chatter?: string; version?: string; storage?: number; free?: { addr: number; length: number }[];
  corruptChunk?: number; refuseChunk?: number; start?: string;
}
class FakeBoard implements BoardLink {
  files: Record<string, string> = {};
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
  private answer(cmd: string): string {
    if (cmd === PROBE_LINE) {
      const info = { v: this.o.version ?? "2v29", board: "ESP32", flash: 4194304, storage: this.o.storage ?? 917504,
        free: this.o.free ?? [{ addr: 0x310000, length: 0x10000 }, { addr: 0x360000, length: 0xa0000 }] };
      return "FLASH-ID " + JSON.stringify(info) + "\r\n=undefined\r\n>";
    }
    if (cmd === "reset()") return "=undefined\r\n\r\n ____  ... Espruino banner ...\r\n>";
    if (/FLASH"\+"-SYNC/.test(cmd)) return "FLASH-SYNC\r\n=undefined\r\n>";
    if (cmd === VERIFY_LINE) {
      const f = this.files[".bootcde"];
      return "FLASH-CRC " + (f ? f.length + " " + (zlib.crc32(Buffer.from(f, "latin1")) >>> 0) : "none") + "\r\n=undefined\r\n>";
    }
    if (cmd === "load()") return this.o.start ?? "SCREEN STARTING | Checking host...\r\nPOS firmware on pos-esp32-v1\r\n";
    let result: any;
    const storage = {
      write: (name: string, data: string, offset?: number) => {
        const n = this.chunk++;
        if (n === this.o.refuseChunk) throw new Error("File already written with different data");
        if (n === this.o.corruptChunk) data = String.fromCharCode(data.charCodeAt(0) ^ 1) + data.slice(1);
        const cur = this.files[name] ?? "";
        this.files[name] = cur.slice(0, offset ?? 0) + data;
        return true;
      },
    };
    try {
      result = new Function("require", "return " + cmd.replace(/;$/, ""))(() => storage);
    } catch (e) {
      return "Uncaught Error: " + (e as Error).message + "\r\n>";
    }
    return "=" + String(result) + "\r\n>";
  }
}

describe("make flash: the conversation with a board (fakes)", () => {
  const board = loadBoardFile("pos-esp32-v1").board;
  const code = "!function(){var s=\"x\\\"y\";" + "var a=[" + Array.from({ length: 900 }, (_, i) => i).join(",") + "];console.log(s,a.length)}();";
  const chunks = [];
  for (let o = 0; o < code.length; o += 1024) chunks.push("require(\"Storage\").write(\".bootcde\"," + JSON.stringify(code.slice(o, o + 1024)) + "," + o + (o ? "" : "," + code.length) + ");");
  const upload = makeUpload(chunks.join("\n") + "\nload(\".bootcde\")\n");
  const START = /POS firmware on [^\r\n]*\r?\n/;

  async function fails(o: FakeOptions, re: RegExp): Promise<FakeBoard> {
    const b = new FakeBoard(o);
    await assert.rejects(flashOver(b, board, upload, code, "/dev/fake", { startMarker: START }), (e: Error) => {
      assert.ok(e instanceof FlashError, String(e));
      assert.match(e.message, re);
      assert.ok(!/\n/.test(e.message), "one line: " + e.message);
      return true;
    });
    return b;
  }

  it("an Espruino board: every chunk stored, read back (length, CRC32), then load(), banner seen", async () => {
    assert.deepEqual(checkUpload(upload, code).problems, []);
    const b = new FakeBoard();
    const r = await flashOver(b, board, upload, code, "/dev/fake", { startMarker: START });
    assert.equal(b.files[".bootcde"], code);
    assert.equal(r.chunks, chunks.length);
    assert.equal(r.crc, zlib.crc32(Buffer.from(code)) >>> 0);
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
    const b = await fails({ version: "2v20" }, /the board runs Espruino 2v20; the firmware needs 2v29 or later \(boards\/pos-esp32-v1\.json mcu\.espruino\)/);
    assert.equal(b.sent.length, 1);
    // a newer or cutting-edge build is fine
    await flashOver(new FakeBoard({ version: "2v29.277" }), board, upload, code, "/dev/fake", { startMarker: START });
    await flashOver(new FakeBoard({ version: "3v01" }), board, upload, code, "/dev/fake", { startMarker: START });
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

  it("a refused chunk, and a start that fails, are errors", async () => {
    const b = await fails({ refuseChunk: 1 }, /the board refused chunk 1 \(require\("Storage"\)\.write\("\.bootcde",[^)]*\.\.\.\): Uncaught Error: File already written/);
    assert.ok(b.sent.indexOf(VERIFY_LINE) < 0);
    await fails({ start: "Uncaught Error: Function \"x\" not found!\r\n" }, /the firmware failed at start: Uncaught Error: Function "x" not found!/);
    await fails({ start: "BOARD MISMATCH: journal not raw flash\r\n" }, /failed at start: BOARD MISMATCH: journal not raw flash/);
    await fails({ start: "" }, /the firmware did not start within 60 s after load\(\) \(no POS firmware on/);
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

  it("the exact upload of make flash-dry, typed line by line, is read back and boots the terminal to READY", async function () {
    if (!fs.existsSync(fw)) { console.log("      skipped: no " + fw + " (make build)"); this.skip(); }
    const t0 = Date.now();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tc-twin-"));
    const out = path.join(dir, "upload.js");
    // the same command as `make flash-dry` (to a temporary file: dist/ is shared)
    const r = runFlash(["--board", "pos-esp32-v1", "--dry-run", out]);
    assert.equal(r.status, 0, r.out);
    const code = fs.readFileSync(fw, "latin1");
    const upload = fs.readFileSync(out, "latin1");
    assert.deepEqual(checkUpload(upload, code).problems, [], "dist/ changed under the test? rerun");
    twin = await Twin.start((how as { cmd: string[] }).cmd);
    const res = await flashOver(twin.link, loadBoardFile("pos-esp32-v1").board, upload, code, "twin", { startMarker: /POS firmware on [^\r\n]*\r?\n/ });
    assert.equal(res.started, "POS firmware on pos-esp32-v1");
    assert.ok(await twin.waitFor(/SCREEN READY/, 40000), "no SCREEN READY: " + twin.link.transcript.slice(-600));
    const boot = twin.link.transcript.slice(twin.link.transcript.lastIndexOf(">load()"));
    assert.ok(!/BOARD MISMATCH|Uncaught/.test(boot), boot);
    console.log(`        twin: ${res.chunks} chunks, ${res.bytes} bytes, CRC32 ${res.crc} read back, READY in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
