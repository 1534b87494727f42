// Device memory bench (issue 10, `make memtest`; also run by `make bench` and CI): the ESP32
// twin (../shared/espruino-twin: the real Espruino 2v29 interpreter with the board's 16,383
// JsVars and flash map) boots the UNCHANGED dist/<board>/firmware.js on journal images made by
// the firmware's own journal (pos-sim journal-image), and runs dist/<board>/memtest.js (every
// flow of the real App with stand-ins for the drivers, firmware/memtest/memtest.ts) on them.
// Prints figures as `name: value unit  # budget; note`, writes dist/<board>/memory.json (not
// with --no-save) and exits 1 when a figure is over budget or failed: not with --report-only;
// with --tolerate-slow (CI) a run that only ran out of its time box does not fail, a crash or
// an excess does. Without the twin (or without a way to run 32-bit programs) it prints one line
// saying it was skipped and exits 0.
//   tsx test/bench/device.bench.ts [--report-only | --tolerate-slow] [--no-save] [--board B] [--jobs 2] [--boot-seconds 12]
//     [--flows-seconds 150] [--growth-seconds 2700] [--growth-sales 1000] [--full-batch N] [--keep DIR]
//     [--full-flows a,b,...]   (memtest flows on the full batch; default all of them)
// The twin runs for the seconds it is given, finished or not (it types the memory line and
// quit() after them), so the growth run's seconds are the bench's wall time: 1000 sales through
// the whole App take about 31 minutes on the twin under qemu here (1.8 s a sale).
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { makeImage, batchLimit } from "../../sim/commands/journal-image";
import { loadBoard } from "../../tools/board";

const ROOT = path.resolve(__dirname, "..", "..");
/** ESPRUINO_TWIN: another twin script (tests use a missing one for the skip path) */
const TWIN = process.env.ESPRUINO_TWIN ? path.resolve(process.env.ESPRUINO_TWIN) : path.resolve(ROOT, "..", "shared", "espruino-twin", "twin");
const BUDGET = { idle: 5000, peak: 11000, growth: 50 };
const USAGE = "usage: tsx test/bench/device.bench.ts [--report-only | --tolerate-slow] [--no-save] [--board B] [--jobs N] [--boot-seconds S]\n" +
  "  [--flows-seconds S] [--growth-seconds S] [--growth-sales N] [--full-batch N] [--keep DIR] [--full-flows a,b]";

interface Opts {
  reportOnly: boolean; tolerateSlow: boolean; noSave: boolean; board: string; jobs: number; bootSeconds: number; flowsSeconds: number;
  growthSeconds: number; growthSales: number; fullBatch: number; keep: string; fullFlows: string;
}

function parse(argv: string[]): Opts | string {
  const o: Opts = { reportOnly: false, tolerateSlow: false, noSave: false, board: process.env.BOARD || "pos-esp32-v1", jobs: 2, bootSeconds: 12, flowsSeconds: 150,
    growthSeconds: 2700, growthSales: 1000, fullBatch: 0, keep: "", fullFlows: "" };
  const nums: { [k: string]: keyof Opts } = { "--jobs": "jobs", "--boot-seconds": "bootSeconds", "--flows-seconds": "flowsSeconds",
    "--growth-seconds": "growthSeconds", "--growth-sales": "growthSales", "--full-batch": "fullBatch" };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--report-only") o.reportOnly = true;
    else if (a === "--tolerate-slow") o.tolerateSlow = true;
    else if (a === "--no-save") o.noSave = true;
    else if (a === "--help" || a === "-h") return USAGE;
    else if (a === "--board" || a === "--keep" || a === "--full-flows") {
      const v = argv[++i];
      if (!v) return `device.bench: ${a} needs a value`;
      if (a === "--board") o.board = v; else if (a === "--keep") o.keep = v; else o.fullFlows = v;
    } else if (nums[a]) {
      const v = argv[++i];
      if (!v || !/^\d+$/.test(v) || Number(v) < 1) return `device.bench: ${a} needs a whole number >= 1, got '${v ?? ""}'`;
      (o as any)[nums[a]!] = Number(v);
    } else return `device.bench: unknown option '${a}'\n${USAGE}`;
  }
  return o;
}

/** why the twin cannot run here, or null */
function twinMissing(): string | null {
  if (!fs.existsSync(TWIN)) return `no ESP32 twin at ${path.relative(ROOT, TWIN)}`;
  const bin = path.join(path.dirname(TWIN), "espruino-esp32twin");
  const r = spawnSync(bin, ["-h"], { stdio: "ignore", timeout: 20000 });
  const native = !r.error && r.status !== null && r.status < 126;
  if (!native && spawnSync("sh", ["-c", "command -v qemu-i386"], { stdio: "ignore" }).status !== 0) {
    return "this kernel cannot run the twin's 32-bit program and qemu-i386 is missing (apt-get install qemu-user)";
  }
  return null;
}

interface TwinRun { code: number; out: string; seconds: number }
let keepDir = "";
let runs = 0;
function twin(args: string[]): Promise<TwinRun> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const p = spawn(TWIN, args, { stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    p.stdout.on("data", (d: Buffer) => chunks.push(d));
    p.stderr.on("data", (d: Buffer) => chunks.push(d));
    p.on("close", (code) => {
      const out = Buffer.concat(chunks).toString("latin1");
      if (keepDir) fs.writeFileSync(path.join(keepDir, `twin-${++runs}.out`), `twin ${args.join(" ")}\nexit ${code}\n` + out, "latin1");
      resolve({ code: code === null ? -1 : code, out, seconds: (Date.now() - t0) / 1000 });
    });
  });
}

/** the interpreter's own failure line, if any: OUT OF MEMORY, LOW_MEMORY, Uncaught ... Only
 *  the output before the twin's closing memory line counts: at quit() the interpreter dumps
 *  the variables still allocated, function source included, which can hold those words (the
 *  twin's exit code 3 then means nothing) */
function failureOf(all: string): string | null {
  const end = all.indexOf("twin: jsvars used");
  const out = end < 0 ? all : all.slice(0, end);
  const m = /OUT OF MEMORY|LOW_MEMORY|New interpreter error[^\n]{0,60}|Uncaught[^\n]{0,100}/.exec(out);
  return m ? m[0].trim() : null;
}
/** the twin exits 3 without a failure line when the interpreter never answered the console */
function silent(r: TwinRun): string | null {
  return r.code === 3 && !/twin: jsvars used/.test(r.out) ? "no answer at the console (the twin was stopped: busy or hung)" : null;
}
function lastScreen(out: string, before?: number): string {
  const text = before === undefined ? out : out.slice(0, before);
  const m = text.match(/SCREEN [^\n]*/g);
  return m ? m[m.length - 1]!.slice(7, 60) : "none";
}
function firstFailureAt(out: string): number {
  const m = /OUT OF MEMORY|LOW_MEMORY|Uncaught|New interpreter error/.exec(out);
  return m ? m.index : out.length;
}

// ---- the measurements ----
/** only: the memtest flows to run on it ("" none, undefined all) */
interface Image { key: string; label: string; file: string | null; only?: string; seconds?: number }
interface Boot { idle?: number; idleGc?: number; failed?: string; seconds: number }
interface Flows { idle?: number; idleGc?: number; peaks: { [flow: string]: number }; failures: string[]; done: boolean; failed?: string; seconds: number }
interface Growth { points: [number, number][]; done: boolean; failed?: string; refusals: number; seconds: number }

async function boot(o: Opts, img: Image, fw: string, seconds = o.bootSeconds, retry = true): Promise<Boot> {
  const args = ["--seconds", String(seconds)];
  if (img.file) args.push("--image", img.file + "@0x310000");
  args.push("--eval", 'print("bench-idle "+process.memory(false).usage)', "--eval", 'print("bench-idle-gc "+process.memory().usage)', fw);
  const r = await twin(args);
  const fail = failureOf(r.out);
  if (fail) return { failed: `${fail} at boot (last screen: ${lastScreen(r.out, firstFailureAt(r.out))})`, seconds: r.seconds };
  // too slow (a loaded machine) rather than broken: once more with more time
  if (!/SCREEN READY/.test(r.out) || silent(r)) {
    if (retry) return boot(o, img, fw, Math.round(seconds * 2.5), false);
    return { failed: silent(r) ? `${silent(r)} at boot (last screen: ${lastScreen(r.out)})` : `no READY within ${seconds} s (last screen: ${lastScreen(r.out)}; twin exit ${r.code})`, seconds: r.seconds };
  }
  const idle = /bench-idle (\d+)/.exec(r.out), gc = /bench-idle-gc (\d+)/.exec(r.out);
  if (!idle) return { failed: `no memory figure (twin exit ${r.code})`, seconds: r.seconds };
  return { idle: Number(idle[1]), idleGc: gc ? Number(gc[1]) : undefined, seconds: r.seconds };
}

async function flows(o: Opts, img: Image, mt: string, dir: string, seconds = o.flowsSeconds, retry = true): Promise<Flows> {
  const args = ["--seconds", String(seconds)];
  if (img.file) args.push("--image", img.file + "@0x310000");
  let bundle = mt;
  if (img.only) {
    bundle = path.join(dir, `memtest-${img.key}.js`);
    fs.writeFileSync(bundle, `var MEMTEST={mode:"flows",only:${JSON.stringify(img.only)}};\n` + fs.readFileSync(mt, "latin1"), "latin1");
  }
  const r = await twin(args.concat([bundle]));
  const f: Flows = { peaks: {}, failures: [], done: /memtest: done/.test(r.out), seconds: r.seconds };
  const idle = /memtest: idle (\d+) gc (\d+)/.exec(r.out);
  if (idle) { f.idle = Number(idle[1]); f.idleGc = Number(idle[2]); }
  let started = "";
  for (const m of r.out.matchAll(/memtest: flow (\S+) (start|peak (\d+)|failed: ([^\n]*))/g)) {
    if (m[2] === "start") started = m[1]!;
    else if (m[3]) { f.peaks[m[1]!] = Number(m[3]); started = ""; }
    else { f.failures.push(`${m[1]}: ${m[4]}`); started = ""; }
  }
  const fail = failureOf(r.out) || (retry ? null : silent(r));
  if (fail) f.failed = `${fail} ${started ? "in flow " + started : idle ? "between flows" : "at boot"} (last screen: ${lastScreen(r.out, firstFailureAt(r.out))})`;
  else if (!f.done && retry) return flows(o, img, mt, dir, seconds * 2, false);
  else if (!f.done) f.failed = `not finished in ${seconds} s (${started ? "in flow " + started : idle ? "" : "no READY"}; last screen: ${lastScreen(r.out)})`;
  return f;
}

async function growth(o: Opts, mt: string, dir: string): Promise<Growth> {
  const bundle = path.join(dir, "memtest-growth.js");
  fs.writeFileSync(bundle, `var MEMTEST={mode:"growth",sales:${o.growthSales}};\n` + fs.readFileSync(mt, "latin1"), "latin1");
  const r = await twin(["--seconds", String(o.growthSeconds), bundle]);
  const g: Growth = { points: [], done: /memtest: done/.test(r.out), refusals: 0, seconds: r.seconds };
  for (const m of r.out.matchAll(/memtest: after (\d+) sales (\d+)/g)) g.points.push([Number(m[1]), Number(m[2])]);
  g.refusals = (r.out.match(/memtest: journal refused sale/g) || []).length;
  const gf = /memtest: growth failed[^\n]*/.exec(r.out);
  const fail = failureOf(r.out) || silent(r);
  const last = g.points.length ? g.points[g.points.length - 1]![0] : 0;
  if (fail) g.failed = `${fail} after sale ${last} (last screen: ${lastScreen(r.out, firstFailureAt(r.out))})`;
  else if (gf) g.failed = gf[0].slice(9);
  return g;
}

/** runs the jobs, at most n at a time, longest first (as given) */
async function pool<T>(n: number, jobs: (() => Promise<T>)[]): Promise<T[]> {
  const res: T[] = new Array(jobs.length);
  let next = 0;
  const lane = async (): Promise<void> => { while (next < jobs.length) { const i = next++; res[i] = await jobs[i]!(); } };
  await Promise.all(Array.from({ length: Math.min(n, jobs.length) }, lane));
  return res;
}

interface Figure { name: string; value: number | string; unit: string; budget?: number; note: string }
function show(f: Figure): string {
  const b = f.budget !== undefined ? `budget <= ${f.budget}` : "";
  const note = [b, f.note].filter(Boolean).join("; ");
  return `${f.name}: ${f.value}${typeof f.value === "number" && f.unit ? " " + f.unit : ""}${note ? "  # " + note : ""}`;
}
function bad(f: Figure): boolean {
  return typeof f.value !== "number" ? String(f.value).startsWith("failed") : f.budget !== undefined && f.value > f.budget;
}
/** a failure that only says the host was too slow for the time box (the twin runs under qemu
 *  on a shared machine): no figure was measured, none was over its budget */
function slowOnly(f: Figure): boolean {
  return typeof f.value === "string" && /^failed: (not finished in|no READY within|fewer than 20 sales in|no answer at the console|flow \S+: timeout at)/.test(f.value) &&
    !/OUT OF MEMORY|LOW_MEMORY|Uncaught|interpreter error/.test(f.value);
}

async function main(): Promise<number> {
  const o = parse(process.argv.slice(2));
  if (typeof o === "string") { console.error(o); return o === USAGE ? 0 : 2; }
  const why = twinMissing();
  if (why) { console.log(`device.bench: skipped: ${why}; the device memory figures need the real interpreter`); return 0; }
  const dist = path.join(ROOT, "dist", o.board);
  const fw = path.join(dist, "firmware.js"), mt = path.join(dist, "memtest.js");
  for (const f of [fw, mt]) if (!fs.existsSync(f)) { console.error(`device.bench: ${path.relative(ROOT, f)} is missing: run make build`); return 1; }
  const region = loadBoard(o.board).flashRegions.journal;
  const dir = o.keep ? path.resolve(o.keep) : fs.mkdtempSync(path.join(os.tmpdir(), "memtest-"));
  fs.mkdirSync(dir, { recursive: true });
  if (o.keep) keepDir = dir; // images, bundles and every twin output (twin-N.out) stay there
  const t0 = Date.now();

  // the journal's own limit for one open batch: sales until it refuses
  const lim = batchLimit(region);
  const ringOnly = lim.code === "full"; // refused for space, not by a batch limit
  const full = o.fullBatch || (ringOnly ? Math.min(500, lim.limit) : lim.limit);
  const images: Image[] = [
    { key: "blank", label: "blank journal", file: null },
    { key: "one_sale", label: "one sale", file: "one.bin", only: "" },
    // a full batch refuses sales, refunds and voids; its reports print every line and its
    // settlement totals every record (about a minute each on the twin: 6 minutes in all)
    { key: "full_batch", label: `${full} sales open`, file: "full.bin", only: o.fullFlows || undefined, seconds: o.flowsSeconds * 4 },
    // the retained history: lookups by invoice, reports, settlement over it
    { key: "wrapped", label: "2000 settled, empty batch", file: "wrapped.bin", only: "journal-probe,sale-swipe,void,reprint-invoice,x-report,settlement" },
  ];
  const spec: { [k: string]: [number, number] } = { one_sale: [1, 0], full_batch: [full, 0], wrapped: [0, 2000] };
  for (const img of images) {
    if (!img.file) continue;
    img.file = path.join(dir, img.file);
    try {
      fs.writeFileSync(img.file, makeImage({ sales: spec[img.key]![0], settled: spec[img.key]![1], region }).bytes);
    } catch (e) {
      console.error(`device.bench: cannot make the ${img.label} image: ${(e as Error).message}`);
      return 1;
    }
  }

  const jobs: (() => Promise<any>)[] = [() => growth(o, mt, dir)];
  const flowImages = images.filter((img) => img.only !== "");
  for (const img of flowImages) jobs.push(() => flows(o, img, mt, dir, img.seconds || o.flowsSeconds));
  for (const img of images) jobs.push(() => boot(o, img, fw));
  const res = await pool(o.jobs, jobs);
  const gr = res[0] as Growth;
  const fl = res.slice(1, 1 + flowImages.length) as Flows[];
  const bt = res.slice(1 + flowImages.length) as Boot[];

  const figs: Figure[] = [];
  images.forEach((img, i) => {
    const b = bt[i]!;
    figs.push({ name: "device.idle_jsvars" + (img.key === "blank" ? "" : "_" + img.key), value: b.failed ? "failed: " + b.failed : b.idle!,
      unit: "JsVars", budget: BUDGET.idle,
      note: `${img.label}: firmware.js at READY, process.memory(false)` + (b.idleGc !== undefined ? `; ${b.idleGc} after a GC` : "") });
  });

  // peak: the memtest's flows plus what the memtest leaves out (the drivers: SSD1306, keypad,
  // ESC/POS, card readers), taken as firmware idle minus memtest idle, both after a GC
  const blankShare = bt[0]!.idleGc !== undefined && fl[0]!.idleGc !== undefined ? bt[0]!.idleGc! - fl[0]!.idleGc! : undefined;
  const bootOf = (img: Image): Boot => bt[images.indexOf(img)]!;
  let best: { v: number; raw: number; flow: string; img: string } | null = null;
  const peakFails: string[] = [];
  const details: string[] = [];
  flowImages.forEach((img, i) => {
    const f = fl[i]!, b = bootOf(img);
    const share = b.idleGc !== undefined && f.idleGc !== undefined ? b.idleGc - f.idleGc : blankShare;
    for (const [flow, v] of Object.entries(f.peaks)) {
      const est = v + (share || 0);
      if (!best || est > best.v) best = { v: est, raw: v, flow, img: img.label };
    }
    if (f.failed) peakFails.push(`${f.failed} on ${img.label}`);
    for (const x of f.failures) peakFails.push(`flow ${x} on ${img.label}`);
    details.push(`#   ${img.label}: memtest idle ${f.idle ?? "?"} (${f.idleGc ?? "?"} after GC), drivers' share ${share ?? "?"}; ` +
      (Object.entries(f.peaks).map(([k, v]) => `${k} ${v}`).join(", ") || "no flow finished") + ` [${Math.round(f.seconds)} s]`);
  });
  const b0 = best as { v: number; raw: number; flow: string; img: string } | null;
  const bestNote = b0 ? `max over flows: ${b0.flow} on ${b0.img}, memtest ${b0.raw} + drivers' share ${b0.v - b0.raw}` : "no flow finished";
  figs.push({ name: "device.peak_jsvars", value: peakFails.length ? "failed: " + peakFails[0] : b0 ? b0.v : "failed: no flow finished",
    unit: "JsVars", budget: BUDGET.peak, note: peakFails.length ? `${peakFails.length} failure(s); ${bestNote}` : bestNote });
  figs.push({ name: "device.peak_flow", value: b0 ? `${b0.flow} (${b0.img})` : "none", unit: "", note: "the flow of device.peak_jsvars" });

  // growth: usage after a GC at READY after sale 10 and after the last sale of the run
  const p10 = gr.points.find((p) => p[0] === 10);
  const pl = gr.points.length ? gr.points[gr.points.length - 1]! : undefined;
  let gv: number | string;
  let gnote = `usage after a GC at READY, sale 10 vs sale ${pl ? pl[0] : "?"}` + (gr.refusals ? `; ${gr.refusals} settlement(s) when the journal refused a sale` : "");
  if (gr.failed) gv = "failed: " + gr.failed;
  else if (!p10 || !pl || pl[0] < 20) gv = `failed: fewer than 20 sales in ${o.growthSeconds} s`;
  else {
    gv = Math.round(((pl[1] - p10[1]) * 1000) / (pl[0] - 10));
    gnote = `${p10[1]} after 10 sales, ${pl[1]} after ${pl[0]}` + (pl[0] < o.growthSales ? ` (estimate: ${pl[0]} of ${o.growthSales} sales ran in ${o.growthSeconds} s)` : "") +
      (gr.refusals ? `; ${gr.refusals} settlement(s) when the journal refused a sale` : "");
  }
  if (gr.failed && p10 && pl && pl[0] >= 20) gnote += `; before that ${Math.round(((pl[1] - p10[1]) * 1000) / (pl[0] - 10))} per 1000 (sales 10..${pl[0]})`;
  figs.push({ name: "device.growth_per_1000_sales", value: gv, unit: "JsVars", budget: BUDGET.growth, note: gnote });
  figs.push({ name: "device.batch_limit", value: ringOnly ? `none below the ring (${lim.limit})` : lim.limit, unit: "sales",
    note: `the journal refuses sale ${lim.limit + 1} of an open batch (${lim.code}: ${lim.reason}); full-batch image: ${full}` });

  for (const f of figs) console.log(show(f));
  for (const d of details) console.log(d);
  console.log(`#   growth run: ${gr.points.map((p) => p[0] + ":" + p[1]).join(" ") || "no figures"} [${Math.round(gr.seconds)} s]`);
  console.log(`#   ${o.board}, twin ${path.relative(ROOT, TWIN)}, ${o.jobs} at a time, ${Math.round((Date.now() - t0) / 1000)} s`);

  const num = (f: Figure): number | string => f.value;
  if (!o.noSave) fs.writeFileSync(path.join(dist, "memory.json"), JSON.stringify({
    board: o.board, measured: new Date().toISOString().slice(0, 10),
    idle: num(figs[0]!), peak: num(figs.find((f) => f.name === "device.peak_jsvars")!),
    figures: Object.fromEntries(figs.map((f) => [f.name, f.value])),
  }, null, 2) + "\n");
  if (!o.keep) fs.rmSync(dir, { recursive: true, force: true });
  const over = figs.filter(bad);
  const slow = o.tolerateSlow ? over.filter(slowOnly) : [];
  if (over.length) console.log(`device.bench: ${over.length} figure(s) over budget or failed: ${over.map((f) => f.name).join(", ")}` +
    (o.reportOnly ? " (--report-only)" : slow.length ? ` (${slow.length} only for lack of time: --tolerate-slow)` : ""));
  return over.length > slow.length && !o.reportOnly ? 1 : 0;
}

main().then((c) => { process.exitCode = c; }, (e) => { console.error("device.bench: " + (e && e.stack || e)); process.exitCode = 1; });
