// The audit trail: entry and header format, the ring (wrap, wear, torn entries, a flash that
// stops taking writes), and the independent verifier (sim/commands/audit.ts) catching an
// altered, deleted, reordered or truncated log.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createHash } from "crypto";
import * as F from "../../firmware/audit/format";
import { verifyAudit, run as auditCommand } from "../../sim/commands/audit";
import { auditRegion, makeFlash, openLog, image, readBack, sha, head } from "./support";

const SLOTS = 4096 / 32 - 1; // entries per sector

function fill(log: ReturnType<typeof openLog>, n: number, tag = 0): void {
  for (let i = 0; i < n; i++) assert.ok(log.append(F.AuditEvent.Void, F.AuditRole.Supervisor, tag + i, 1000 + i));
}

/** recompute an entry's chain after an edit, as a forger without the rest of the log would */
function reseal(img: Uint8Array, off: number, prev: Uint8Array): void {
  const c = createHash("sha256").update(prev).update(img.subarray(off, off + 20)).digest();
  img.set(c.subarray(0, 12), off + 20);
}

describe("audit format", () => {
  it("encodes a 32-byte entry whose chain is SHA-256(prev || bytes 0..19) truncated to 12 bytes", () => {
    const prev = new Uint8Array(12).map((_, i) => i * 7);
    const e = new Uint8Array(32);
    F.encodeEntry(sha, e, [42, F.AuditEvent.Refund, F.AuditRole.Supervisor, 2, 123456, 999999999, 0xffffffff], prev);
    assert.equal(F.getU32(e, 0), 42);
    assert.deepEqual([e[4], e[5], e[6], e[7]], [F.AuditEvent.Refund, 2, 2, 0]);
    assert.equal(F.getU32(e, 8), 123456);
    assert.equal(F.getU32(e, 12), 999999999);
    assert.equal(F.getU32(e, 16), 0xffffffff);
    const want = createHash("sha256").update(prev).update(e.subarray(0, 20)).digest().subarray(0, 12);
    assert.deepEqual([...e.subarray(20)], [...want]);
    F.encodeEntry(sha, e, [42, F.AuditEvent.Refund, F.AuditRole.Supervisor, 300, 1, 2, 3], new Uint8Array(12));
    assert.equal(e[6], 255, "burns saturate at 255");
  });

  it("headers carry the sector seq, erase count, first seq and the chain before them, with a check", () => {
    const r = auditRegion(), flash = makeFlash(r);
    const log = openLog(flash, r);
    for (let i = 0; i < 130; i++) log.append(1, 0, i, 0); // into the second sector
    const img = image(flash, r), h = img.subarray(4096, 4096 + 32);
    assert.equal(Buffer.from(h.subarray(0, 4)).toString("latin1"), "AUD\u0001");
    assert.deepEqual([F.getU32(h, 4), F.getU32(h, 8), F.getU32(h, 12)], [2, 1, 128]);
    assert.deepEqual([...h.subarray(16, 28)], [...img.subarray(127 * 32 + 20, 128 * 32)], "the chain of seq 127");
    const check = createHash("sha256").update(new Uint8Array(12)).update(h.subarray(0, 28)).digest().subarray(0, 4);
    assert.deepEqual([...h.subarray(28)], [...check]);
    for (let bit = 0; bit < 256; bit += 13) {
      const t = img.slice(); t[4096 + (bit >> 3)] ^= 1 << (bit & 7);
      assert.ok(verifyAudit(t).notes.some((n) => /sector 1: no valid header/.test(n)), `bit ${bit} flipped`);
    }
  });
});

describe("audit log ring", () => {
  it("appends, reads back after a reboot, and continues the chain", () => {
    const r = auditRegion(), flash = makeFlash(r);
    let log = openLog(flash, r);
    assert.deepEqual(readBack(log), []);
    fill(log, 5);
    log = openLog(flash, r);
    assert.equal(head(log).seq, 6);
    assert.ok(log.append(F.AuditEvent.Boot, 0, 0, 0));
    const all = readBack(log);
    assert.deepEqual(all.map((e) => e[0]), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(all[2], [3, F.AuditEvent.Void, 2, 2, 1002]);
    const rep = verifyAudit(image(flash, r));
    assert.equal(rep.status, "intact", JSON.stringify(rep.problems));
    assert.equal(rep.entries.length, 6);
    assert.equal(rep.head, `6:${Buffer.from(head(log).chain).toString("hex")}`);
    assert.deepEqual(readBack(log, 5).map((e) => e[0]), [5, 6], "from a seq");
  });

  it("wraps the ring: oldest sector erased, sectors in turn (even wear), chain verified across the wrap", () => {
    const r = auditRegion(), flash = makeFlash(r);
    let log = openLog(flash, r);
    const total = SLOTS * 3 * 4 + 17; // four times round the ring
    for (let i = 0; i < total; i++) {
      assert.ok(log.append(1 + (i % 16), i % 4, i, total - i));
      if (i % 200 === 0) log = openLog(flash, r); // reboots in between
    }
    const counts = [0, 1, 2].map((s) => flash.eraseCount(r.base + s * 4096));
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `erase counts ${counts}`);
    assert.ok(counts[0]! >= 4, `erase counts ${counts}`);
    const rep = verifyAudit(image(flash, r));
    assert.equal(rep.status, "intact", JSON.stringify(rep.problems));
    const seqs = rep.entries.map((e) => e.seq);
    assert.equal(seqs[seqs.length - 1], total);
    assert.ok(seqs.length >= 2 * SLOTS && seqs.length <= 3 * SLOTS, `retained ${seqs.length}`);
    assert.deepEqual(seqs, seqs.map((_, i) => seqs[0]! + i), "contiguous");
    assert.deepEqual(readBack(log).map((e) => e[0]), seqs, "the log reads what the verifier reads");
    // the erase counts are in the headers
    const img = image(flash, r);
    assert.deepEqual([0, 1, 2].map((s) => F.getU32(img, s * 4096 + 8)), counts);
  });

  it("a torn newest entry is burnt at boot and declared by the next entry", () => {
    const r = auditRegion(), flash = makeFlash(r);
    let log = openLog(flash, r);
    fill(log, 3);
    flash.armCut(flash.ops + 3, { program: "torn" }); // inside the 4th entry's write
    assert.throws(() => log.append(F.AuditEvent.Refund, 2, 77, 88), /power cut/);
    flash.powerOn();
    const torn = verifyAudit(image(flash, r));
    assert.equal(torn.status, "intact");
    assert.ok(torn.notes.some((n) => /newest entry is torn/.test(n)), torn.notes.join("; "));
    log = openLog(flash, r);
    assert.equal(head(log).seq, 4, "the torn entry took no seq");
    assert.ok(log.append(F.AuditEvent.Boot, 0, 0, 0));
    const rep = verifyAudit(image(flash, r));
    assert.equal(rep.status, "intact", JSON.stringify(rep.problems));
    assert.deepEqual(rep.entries.map((e) => [e.seq, e.burns]), [[1, 0], [2, 0], [3, 0], [4, 1]]);
    assert.deepEqual(image(flash, r).subarray(4 * 32, 5 * 32), new Uint8Array(32), "slot 4 burnt to zero");
  });

  it("a flash that no longer takes writes: entries burnt and retried, then the fault state", () => {
    const r = auditRegion(), flash = makeFlash(r);
    const log = openLog(flash, r);
    fill(log, 2);
    const write = flash.write.bind(flash);
    let bad = 1;
    flash.write = (d: Uint8Array, a: number) => { if (bad > 0 && d.some((x) => x !== 0)) { bad--; d = d.map((x) => x | 0x10); } write(d, a); };
    assert.ok(log.append(F.AuditEvent.ZReport, 2, 5, 6), "a failed read-back is retried in the next slot");
    let rep = verifyAudit(image(flash, r));
    assert.equal(rep.status, "intact", JSON.stringify(rep.problems));
    assert.deepEqual(rep.entries.map((e) => [e.seq, e.burns]), [[1, 0], [2, 0], [3, 1]]);
    flash.write = () => {};
    flash.erasePage = () => {};
    assert.equal(log.append(F.AuditEvent.ZReport, 2, 5, 6), false);
    assert.match(log.fault ?? "", /^audit flash/);
    assert.equal(log.append(F.AuditEvent.Boot, 0, 0, 0), false);
    rep = verifyAudit(image(flash, r));
    assert.equal(rep.entries.length, 3);
  });

  it("records low memory once per boot", () => {
    const r = auditRegion(), flash = makeFlash(r);
    let log = openLog(flash, r);
    for (let i = 0; i < 3; i++) log.append(F.AuditEvent.LowMemory, 0, 2400 - i, 0);
    log = openLog(flash, r);
    log.append(F.AuditEvent.LowMemory, 0, 2300, 0);
    assert.deepEqual(readBack(log).map((e) => [e[1], e[3]]), [[17, 2400], [17, 2300]]);
  });

  it("stamps the time, or 0xFFFFFFFF while the clock is not set", () => {
    let clock = -1;
    const r = auditRegion(), flash = makeFlash(r), log = openLog(flash, r, () => clock);
    log.append(1, 0, 0, 0);
    clock = 222_163_200; // seconds since 2020: Unix 1,800,000,000
    log.append(1, 0, 0, 0);
    assert.deepEqual(verifyAudit(image(flash, r)).entries.map((e) => e.time), [0xffffffff, 1_800_000_000]);
  });
});

describe("audit verifier (pos-sim audit)", () => {
  /** a log over 2.5 sectors: 320 entries */
  function sample(): { img: Uint8Array; r: ReturnType<typeof auditRegion> } {
    const r = auditRegion(), flash = makeFlash(r), log = openLog(flash, r);
    fill(log, 320);
    return { img: image(flash, r), r };
  }
  const slotOf = (seq: number) => { const s = Math.floor((seq - 1) / SLOTS); return s * 4096 + ((seq - 1) % SLOTS + 1) * 32; };

  it("an intact log verifies; an empty region is empty", () => {
    assert.equal(verifyAudit(sample().img).status, "intact");
    assert.equal(verifyAudit(new Uint8Array(3 * 4096).fill(255)).status, "empty");
  });

  it("an altered entry breaks the chain there, even with its own hash recomputed", () => {
    const { img } = sample();
    const o = slotOf(150);
    img[o + 12] = 1; // amount
    let rep = verifyAudit(img);
    assert.equal(rep.status, "broken");
    assert.deepEqual(rep.problems.map((p) => [p.sector, p.seq]), [[1, 150]]);
    reseal(img, o, img.subarray(o - 32 + 20, o - 32 + 32));
    rep = verifyAudit(img);
    assert.equal(rep.status, "broken");
    assert.deepEqual(rep.problems.map((p) => p.seq), [151], "the next entry no longer chains");
    assert.match(rep.problems[0]!.why, /does not chain from seq 150/);
  });

  it("a deleted entry (zeroed) is caught: the next one does not chain and declares no burn", () => {
    const { img } = sample();
    img.fill(0, slotOf(40), slotOf(40) + 32);
    const rep = verifyAudit(img);
    assert.equal(rep.status, "broken");
    assert.deepEqual(rep.problems.map((p) => [p.sector, p.slot, p.seq]), [[0, 41, 41]]);
  });

  it("deleting the newest entries is reported as truncation", () => {
    const { img } = sample();
    img.fill(0, slotOf(319), slotOf(320) + 32);
    const rep = verifyAudit(img);
    assert.equal(rep.status, "truncated");
    assert.match(rep.problems[0]!.why, /2 zeroed slot\(s\) after seq 318/);
  });

  it("reordered entries and reordered or removed sectors are caught", () => {
    let { img } = sample();
    const a = img.slice(slotOf(10), slotOf(10) + 32);
    img.copyWithin(slotOf(10), slotOf(11), slotOf(11) + 32);
    img.set(a, slotOf(11));
    assert.deepEqual(verifyAudit(img).problems.map((p) => p.seq), [11, 10, 12]);
    // sectors swapped by rewriting their sequence numbers (headers re-checked by the forger)
    ({ img } = sample());
    for (const [s, seq] of [[0, 2], [1, 1]] as const) {
      new DataView(img.buffer, img.byteOffset).setUint32(s * 4096 + 4, seq, true);
      const h = createHash("sha256").update(new Uint8Array(12)).update(img.subarray(s * 4096, s * 4096 + 28)).digest();
      img.set(h.subarray(0, 4), s * 4096 + 28);
    }
    let rep = verifyAudit(img);
    assert.equal(rep.status, "broken");
    assert.ok(rep.problems.some((p) => p.slot === 0 && /header says the chain continues/.test(p.why)), JSON.stringify(rep.problems));
    // the middle sector removed (erased)
    ({ img } = sample());
    img.fill(255, 4096, 8192);
    rep = verifyAudit(img);
    assert.equal(rep.status, "broken");
    assert.match(rep.problems[0]!.why, /sector seq 3 follows 1: a sector between them is missing/);
  });

  it("the command: region, raw partition and 4 MiB images; exit 0 / 1 / 2", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "audit-"));
    const { img } = sample();
    const out: string[] = [];
    const log = console.log, err = console.error;
    console.log = (...a: unknown[]) => { out.push(a.join(" ")); };
    console.error = (...a: unknown[]) => { out.push(a.join(" ")); };
    const cmd = (args: string[]) => { out.length = 0; return auditCommand(args); };
    try {
      fs.writeFileSync(path.join(dir, "r.bin"), img);
      assert.equal(cmd([path.join(dir, "r.bin")]), 0);
      assert.match(out.join("\n"), /INTACT: 320 entries, seq 1\.\.320, head 320:[0-9a-f]{24}/);
      const part = new Uint8Array(65536).fill(255); part.set(img, 0x9000);
      fs.writeFileSync(path.join(dir, "p.bin"), part);
      assert.equal(cmd(["--list", path.join(dir, "p.bin")]), 0);
      assert.match(out.join("\n"), /raw flash partition/);
      assert.match(out.join("\n"), /\n\s+1 VOID\s+supervisor a=0 b=1000/);
      const full = new Uint8Array(4 << 20).fill(255); full.set(img, 0x319000);
      img[slotOf(7) + 9] ^= 1;
      full.set(img, 0x319000);
      fs.writeFileSync(path.join(dir, "f.bin"), full);
      assert.equal(cmd([path.join(dir, "f.bin")]), 1);
      assert.match(out.join("\n"), /BROKEN at sector 0 slot 7 seq 7: entry does not chain/);
      fs.writeFileSync(path.join(dir, "bad.bin"), new Uint8Array(100));
      assert.equal(cmd([path.join(dir, "bad.bin")]), 2);
      assert.match(out.join("\n"), /100 bytes is not an audit image/);
      assert.equal(cmd([path.join(dir, "none.bin")]), 2);
      assert.match(out.join("\n"), /no such file/);
      assert.equal(cmd([]), 2);
      assert.equal(cmd(["--board", "nope", path.join(dir, "r.bin")]), 2);
    } finally { console.log = log; console.error = err; }
  });
});

describe("journal bootInfo (logged at boot as CUT-RECOVERED)", () => {
  // the journal's own test support: a virtual NOR region and zlib's CRC-32
  const J = require("../journal/support") as typeof import("../journal/support");
  const { Kind } = require("../../firmware/journal/journal") as typeof import("../../firmware/journal/journal");

  it("a clean power-up: no cut; a reserve cut mid-frame: cut, and the number it may have taken skipped", () => {
    const reg = J.region(3), flash = J.makeFlash(reg);
    let j = J.open(flash, reg);
    assert.deepEqual(j.bootInfo(), { cut: false, skipped: 0 });
    assert.ok(!("code" in (j.reserve(Kind.Sale, { amount: 100 }) as object)));
    j = J.open(flash, reg);
    assert.deepEqual(j.bootInfo(), { cut: false, skipped: 0 }, "after a clean session");
    flash.armCut(flash.ops + 3, { program: "torn" }); // inside the next frame's body
    assert.throws(() => j.reserve(Kind.Sale, { amount: 200 }), /power cut/);
    flash.powerOn();
    j = J.open(flash, reg);
    assert.deepEqual(j.bootInfo(), { cut: true, skipped: 1 });
    assert.equal(j.next().stan, 3, "STAN 2 passed over");
  });
});
