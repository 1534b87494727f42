// The acquirer's side of the terminal health report (docs/health.md): an 0800 with DE 70 801
// and DE 48 packed by the firmware's codec is collected per TID; a malformed DE 48 is RC 30
// and kept nowhere; a plain echo is not a report; `pos-sim acquirer` prints the terminal's
// table when the report arrives and every table again on Ctrl-C.
import { strict as assert } from "assert";
import * as net from "net";
import { spawn } from "child_process";
import * as path from "path";
import { Acquirer } from "../../sim/acquirer/acquirer";
import { serveTcp } from "../../sim/acquirer/tcp";
import { IsoMsg, pack, unpack } from "../../firmware/host/iso8583";
import { createDeframer, frame } from "../../firmware/host/frame";
import { buildEcho } from "../../firmware/host/messages";
import { healthField, H, HR } from "../../firmware/health/record";

const S = { tid: "TERM0042", mid: "000000000000001", nii: "001" };

function healthMsg(stan: number, de48: string): IsoMsg {
  const m = buildEcho(stan, S);
  m.f[48] = de48;
  m.f[70] = "801";
  return m;
}

function figures(boots: number, paper: number): string {
  const c = new Uint32Array(H.COUNT);
  c[H.BOOTS] = boots; c[H.PAPER_OUTS] = paper; c[H.HOST_TIMEOUTS] = 3; c[H.LOW_FREE] = HR.NONE;
  return healthField(c, 17, 5, 20);
}

/** one exchange over TCP: the reply, unpacked by the firmware's codec */
function exchange(port: number, m: IsoMsg): Promise<IsoMsg> {
  return new Promise<IsoMsg>((resolve, reject) => {
    const s = net.connect(port, "127.0.0.1", () => s.write(Buffer.from(frame(pack(m), "001"))));
    const d = createDeframer((_tpdu, body) => { s.end(); resolve(unpack(body)); }, reject);
    s.on("data", (b) => d.push(new Uint8Array(b)));
    s.on("error", reject);
  });
}

describe("acquirer: terminal health reports", () => {
  it("collects the figures per TID over TCP, answers 00, and hands the table to onHealth", async () => {
    const tables: string[] = [];
    const logs: string[] = [];
    const a = new Acquirer({ onHealth: (_tid, t) => tables.push(t), log: (l) => logs.push(l) });
    const server = await serveTcp(a, 0);
    const port = (server.address() as net.AddressInfo).port;
    try {
      const r1 = await exchange(port, healthMsg(1, figures(4, 1)));
      assert.equal(r1.mti, "0810");
      assert.equal(r1.f[39], "00");
      assert.deepEqual(a.health.latest("TERM0042"), { BT: "4", CR: "0", SK: "0", HT: "3", RV: "0", PO: "1", HE: "0", SP: "0", SL: "0",
        SN: "0", SO: "0", SF: "0", TF: "0", TE: "0", JE: "5", JT: "20", SQ: "17", FW: "0.1.0" });
      const r2 = await exchange(port, healthMsg(2, figures(5, 2)));
      assert.equal(r2.f[39], "00");
      assert.equal(a.health.received("TERM0042"), 2);
      assert.equal(a.health.latest("TERM0042")!.BT, "5", "the latest report wins");
      assert.equal(tables.length, 2);
      assert.match(tables[1]!, /^health of TID TERM0042 \(report 2, /);
      assert.match(tables[1]!, /\n {2}PO {2}paper-outs +2\n/);
      assert.match(tables[1]!, /\n {2}LF {2}lowest free JsVars seen +-\n/, "not sampled: a dash");
      assert.ok(logs.some((l) => l.includes("TERM0042 health report 2: boots 5")), logs.join("\n"));
      // a malformed DE 48: RC 30, the reason logged, nothing kept
      const bad = await exchange(port, healthMsg(3, "H1BT0x"));
      assert.equal(bad.f[39], "30");
      assert.equal(a.health.received("TERM0042"), 2);
      assert.equal(a.health.errors.length, 1);
      assert.ok(logs.some((l) => /health report refused: health DE 48: bad length/.test(l)), logs.join("\n"));
      // a plain echo is no report
      const echo = await exchange(port, buildEcho(4, S));
      assert.equal(echo.f[39], "00");
      assert.equal(a.health.received("TERM0042"), 2);
      assert.deepEqual(a.ledger("TERM0042").violations, []);
    } finally {
      server.close();
    }
  });

  it("pos-sim acquirer prints the table as a report arrives and all tables on Ctrl-C", async function () {
    this.timeout(60000);
    const port = 20000 + Math.floor(Math.random() * 20000);
    const root = path.join(__dirname, "../..");
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "sim/cli.ts"), "acquirer", "--port", String(port)], { cwd: root });
    let out = "";
    child.stdout.on("data", (b) => { out += b.toString(); });
    child.stderr.on("data", (b) => { out += b.toString(); });
    const until = async (re: RegExp) => {
      for (let i = 0; i < 400 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 50));
      assert.match(out, re);
    };
    try {
      await until(/listening/);
      const r = await exchange(port, healthMsg(9, figures(7, 0)));
      assert.equal(r.f[39], "00");
      await until(/health of TID TERM0042 \(report 1/);
      assert.match(out, /\n {2}BT {2}boots +7\n/);
      const before = out.length;
      child.kill("SIGINT");
      await new Promise((r) => child.on("exit", r));
      assert.match(out.slice(before), /TID TERM0042: batch 0/);
      assert.match(out.slice(before), /health of TID TERM0042 \(report 1[^]*BT {2}boots +7\n/);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
