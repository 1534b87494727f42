// The firmware's SNTP client on the ESP32 twin (../shared/espruino-twin: the real Espruino 2v29
// interpreter, whose dgram is the host machine's UDP): dist/<board>/probe-sntp.js (of
// pos-esp32-uart-msr, a board without an SNTP server, so it asks nothing by itself: on the twin
// a name it cannot resolve is sent to 0.0.0.0, i.e. to whatever listens on this machine) runs
// firmware/clock-sntp.ts against small SNTP servers started here on 127.0.0.1 (one per
// behaviour: good, kiss-o'-death, leap indicator 3, wrong origin, silent). Proves the dgram API
// as the firmware uses it (createSocket("udp4"), send(string, port, host), "message" with a
// string, close()) on the real interpreter, the checks and the time it reads. Needs the build
// and the twin (skipped without it).
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as dgram from "dgram";
import * as fs from "fs";
import * as path from "path";
import { ntpReply, ReplyFields } from "../../sim/bus/sntp";
import { ROOT } from "../../tools/paths";

const TWIN = path.resolve(ROOT, "..", "shared", "espruino-twin", "twin");
const PROBE = path.join(ROOT, "dist", "pos-esp32-uart-msr", "probe-sntp.js");

interface Server { port: number; requests: Buffer[]; close(): void }

/** an SNTP server on 127.0.0.1 answering every request with `fields` (null: never answers) */
function server(fields: ReplyFields | null): Promise<Server> {
  return new Promise((resolve) => {
    const s = dgram.createSocket("udp4"), requests: Buffer[] = [];
    s.on("message", (m, r) => {
      requests.push(m);
      if (fields) s.send(ntpReply(m, Date.now() / 1000, fields), r.port, r.address);
    });
    s.bind(0, "127.0.0.1", () => resolve({ port: s.address().port, requests, close: () => s.close() }));
  });
}

function twin(evals: string[], seconds: number): Promise<string> {
  const args = ["--seconds", String(seconds)];
  for (const e of evals) args.push("--eval", e);
  return new Promise((resolve, reject) => {
    execFile(TWIN, [...args, PROBE], { timeout: 240000, maxBuffer: 16 << 20 }, (err, stdout) => {
      if (/twin: jsvars used/.test(String(stdout))) resolve(String(stdout));
      else reject(new Error("twin: " + (err ? err.message : "no memory line") + "\n" + String(stdout).slice(-1500)));
    });
  });
}

describe("SNTP client on the ESP32 twin (real interpreter, real UDP)", function () {
  this.timeout(300000);
  const present = fs.existsSync(TWIN) && process.env.SIM_TWIN !== "0";
  before(function () {
    if (!present) this.skip();
    if (!fs.existsSync(PROBE)) throw new Error(PROBE + " is missing: npx tsx tools/build.ts firmware");
  });

  it("a good reply sets the clock to UTC + offset; kiss-o'-death, leap 3, a wrong origin and silence are refused", async () => {
    const good = await server({}), kod = await server({ stratum: 0, refid: "RATE" }), leap = await server({ li: 3 });
    const origin = await server({ origin: Buffer.from("spoofed!", "latin1") }), silent = await server(null);
    const all = [good, kod, leap, origin, silent];
    try {
      const at = (s: Server, offset = 60) => `sntpProbe("127.0.0.1", ${s.port}, ${offset})`;
      // each server one second apart; the good one last (a clock once set is not asked again)
      const t0 = Date.now();
      const out = await twin([at(silent), at(origin), at(kod), at(leap), "1", at(good), "1"], 5);
      const lines = out.split("\n");
      const has = (re: RegExp) => assert.ok(lines.some((l) => re.test(l)), re + " in:\n" + out);
      has(/^sntp: this board has no SNTP server/);
      has(new RegExp(`^clock: SNTP: no reply from 127\\.0\\.0\\.1:${silent.port} within 5 s$`));
      has(/^clock: SNTP reply refused: origin timestamp is not the request's \(stale or spoofed\)$/);
      has(/^clock: SNTP: reply refused: origin timestamp is not the request's \(stale or spoofed\)$/);
      has(/^clock: SNTP reply refused: kiss-o'-death \(stratum 0, code RATE\)$/);
      has(/^clock: SNTP reply refused: leap indicator 3 \(server not synchronised\)$/);
      assert.equal(lines.filter((l) => l === "clock: set from SNTP").length, 1, out);
      has(new RegExp(`^clock: SNTP 127\\.0\\.0\\.1:${good.port} stratum 2, round trip \\d+ ms, UTC\\+01:00$`));
      // the time read: the machine's UTC + 60 min, within the run
      const m = /^sntp: clock (\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) \(source 2\)$/m.exec(out);
      assert.ok(m, out);
      const shown = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) - 3600000;
      assert.ok(shown >= Math.floor(t0 / 1000) * 1000 && shown <= Date.now(), `read ${new Date(shown).toISOString()} (UTC) during the run`);
      // what the real interpreter put on the wire: one 48-byte client request per query, as a
      // string (a typed array would have gone out as "35,0,0,..."), each with its own nonce
      for (const s of all) {
        assert.equal(s.requests.length, 1, "one request each");
        assert.equal(s.requests[0]!.length, 48);
        assert.equal(s.requests[0]![0], 0x23);
        assert.ok(s.requests[0]!.subarray(1, 40).every((b) => b === 0));
      }
      assert.equal(new Set(all.map((s) => s.requests[0]!.subarray(40).toString("hex"))).size, all.length, "a fresh nonce per request");
      assert.ok(!/Uncaught|OUT OF MEMORY/.test(out), out);
      const mem = [...out.matchAll(/^sntp: JsVars before (\d+), highest (\d+) \(\+(\d+)\), after (\d+)$/gm)];
      assert.equal(mem.length, 5, out);
      for (const x of mem) assert.ok(+x[3]! < 600, "an exchange's peak: " + x[0]);
      console.log("        twin: " + mem.map((x) => "+" + x[3]).join(", ") + " JsVars at the highest sample of each exchange (silent, origin, kod, leap, good; they overlap)");
    } finally { for (const s of all) s.close(); }
  });
});
