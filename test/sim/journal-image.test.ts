// pos-sim journal-image: images made by the firmware's journal open with the right counts and
// numbers; an open batch over the journal's limit and bad arguments exit 2 with one line.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { inspectImage, makeImage, batchLimit, Refused } from "../../sim/commands/journal-image";
import { loadBoard } from "../../tools/board";

const root = path.join(__dirname, "../..");
const region = loadBoard("pos-esp32-v1").flashRegions.journal;
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, "sim/bin.js"), "journal-image", ...args], { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("pos-sim journal-image", function () {
  this.timeout(60000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "jimg-"));

  it("writes the board's region: N open sales after M settled ones, as the journal reads them back", () => {
    const out = path.join(tmp, "a.bin");
    const r = cli("--sales", "7", "--settled", "250", "--batch-size", "100", out);
    assert.equal(r.code, 0, r.err);
    const bytes = fs.readFileSync(out);
    assert.equal(bytes.length, region.sectors * region.sectorSize);
    const s = inspectImage(bytes, region);
    assert.equal(s.state, "ok");
    assert.equal(s.open, 7);
    // 3 batches closed (100, 100, 50): batch 4 is open; 257 sales and 3 settlements took STANs
    assert.deepEqual(s.next, { stan: 261, invoice: 258, batch: 4 });
    assert.ok(s.retained >= 257, `retained ${s.retained}`);
    assert.match(r.out, /7 sales in open batch 4, 250 settled in 3 batches; next STAN 261, invoice 258/);
  });

  it("holds approved, printed sales with RC 00, an auth code and a 12-digit RRN", () => {
    const img = makeImage({ sales: 3, settled: 0, region });
    const s = inspectImage(img.bytes, region);
    assert.equal(s.open, 3);
    assert.equal(s.records.length, 3);
    for (const t of s.records) {
      assert.equal(t.kind, 1);
      assert.equal(t.result, 1);
      assert.equal(t.rc, "00");
      assert.match(t.rrn, /^\d{12}$/);
      assert.match(t.authCode, /^[A-Z]\d{5}$/);
      assert.match(t.last4, /^\d{4}$/);
      assert.ok(t.printed && !t.reversalPending && t.amount > 0 && t.batch === 1);
    }
  });

  it("a wrapped ring keeps settled history with an empty open batch", () => {
    const img = makeImage({ sales: 0, settled: 2000, region });
    const s = inspectImage(img.bytes, region);
    assert.equal(s.state, "ok");
    assert.equal(s.open, 0);
    // every sector but the one being reused holds about 84 sealed records
    assert.ok(s.retained > (region.sectors - 2) * 80 && s.retained < 2000, `retained ${s.retained}`);
    assert.equal(s.next.batch, 21);
  });

  it("stops with exit 2 when the journal refuses a sale of the open batch, naming its limit", () => {
    const lim = batchLimit(region);
    assert.ok(lim.limit > 0 && lim.code !== "", JSON.stringify(lim));
    assert.throws(() => makeImage({ sales: lim.limit + 1, settled: 0, region }), (e: any) => e instanceof Refused && e.accepted === lim.limit);
    const r = cli("--sales", String(lim.limit + 1), "--settled", "0", path.join(tmp, "x.bin"));
    assert.equal(r.code, 2);
    assert.match(r.err, new RegExp(`^pos-sim journal-image: the journal refused open-batch sale ${lim.limit + 1} \\(${lim.code}: .*at most ${lim.limit} sales`));
    assert.ok(!fs.existsSync(path.join(tmp, "x.bin")));
  });

  it("argument problems: one line, exit 2", () => {
    for (const [args, msg] of [
      [["--settled", "0", "o.bin"], "--sales N is required"],
      [["--sales=-1", "--settled", "0", "o.bin"], "--sales needs an integer >= 0, got '-1'"],
      [["--sales", "x", "--settled", "0", "o.bin"], "--sales needs an integer >= 0, got 'x'"],
      [["--sales", "1", "--settled", "0", "a.bin", "b.bin"], "too many arguments (at most 1 output file), got 'b.bin'"],
      [["--sales", "1", "--settled", "0"], "no output file given"],
      [["--sales", "1", "--settled", "0", "--bogus", "o.bin"], "unknown option '--bogus'"],
    ] as [string[], string][]) {
      const r = cli(...args);
      assert.equal(r.code, 2, args.join(" "));
      assert.equal(r.err.split("\n")[0], "pos-sim journal-image: " + msg);
    }
    const b = cli("--sales", "1", "--settled", "0", "--board", "nope", path.join(tmp, "n.bin"));
    assert.equal(b.code, 2);
    assert.match(b.err, /^pos-sim journal-image: .*nope/);
  });
});
