// The acquirer simulator serving real TLS over TCP (`pos-sim acquirer --tls`), for physical
// boards: Node's TLS server with the TEST ONLY certificate (sim/acquirer/test-certs), checked
// with a real TLS client that trusts the test CA, and one that does not.
import { strict as assert } from "assert";
import * as net from "net";
import * as tls from "tls";
import * as path from "path";
import { spawn, execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import { makeTestCerts } from "../../tools/make-test-certs";
import { Acquirer } from "../../sim/acquirer/acquirer";
import { serveTcp } from "../../sim/acquirer/tcp";
import { parseArgs } from "../../sim/commands/acquirer";
import { testCert, testServerCredentials, TEST_CERTS_DIR } from "../../sim/bus/tls";
import { IsoMsg, pack, unpack } from "../../firmware/host/iso8583";
import { createDeframer, frame } from "../../firmware/host/frame";

const echo: IsoMsg = { mti: "0800", f: { 3: "990000", 11: "000001", 41: "TERM0001" } };

/** one echo over TLS to port; resolves with the reply or rejects with the TLS error */
function echoOverTls(port: number, ca: Buffer): Promise<IsoMsg> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: "127.0.0.1", port, ca, servername: "localhost" }, () => s.write(Buffer.from(frame(pack(echo), "123"))));
    const d = createDeframer((_tpdu, m) => { s.end(); resolve(unpack(m)); }, reject);
    s.on("data", (b) => d.push(new Uint8Array(b)));
    s.on("error", reject);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => { const p = (srv.address() as net.AddressInfo).port; srv.close(() => resolve(p)); });
  });
}

describe("acquirer simulator over TLS (real TCP)", function () {
  this.timeout(60000);

  it("the committed TEST ONLY certificates: server and rogue chains, DER = PEM, valid 2000-2100", () => {
    const ca = new crypto.X509Certificate(testCert("ca.pem"));
    const server = new crypto.X509Certificate(testCert("server.pem"));
    const rogueCa = new crypto.X509Certificate(testCert("rogue-ca.pem"));
    const rogue = new crypto.X509Certificate(testCert("rogue-server.pem"));
    assert.ok(ca.ca && server.checkIssued(ca) && server.verify(ca.publicKey));
    assert.ok(rogue.checkIssued(rogueCa) && !rogue.checkIssued(ca) && !rogue.verify(ca.publicKey));
    assert.ok(testCert("ca.der").equals(ca.raw));
    assert.ok(server.checkPrivateKey(crypto.createPrivateKey(testCert("server.key"))));
    assert.match(server.subject, /TEST ONLY/);
    assert.equal(Date.parse(server.validFrom), Date.UTC(2000, 0, 1));
    assert.equal(Date.parse(server.validTo), Date.UTC(2100, 0, 1));
    assert.match(server.subjectAltName ?? "", /DNS:acquirer\.local/);
  });

  it("tools/make-test-certs.ts makes a fresh set with openssl (skipped without it)", function () {
    try { execFileSync("openssl", ["version"], { stdio: "ignore" }); } catch { this.skip(); }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "certs-"));
    try {
      const files = makeTestCerts(dir);
      assert.deepEqual(files.sort(), ["ca.der", "ca.pem", "rogue-ca.pem", "rogue-server.key", "rogue-server.pem", "server.key", "server.pem"]);
      const ca = new crypto.X509Certificate(fs.readFileSync(path.join(dir, "ca.pem")));
      assert.ok(new crypto.X509Certificate(fs.readFileSync(path.join(dir, "server.pem"))).verify(ca.publicKey));
      assert.ok(!new crypto.X509Certificate(fs.readFileSync(path.join(dir, "rogue-server.pem"))).verify(ca.publicKey));
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  it("serves TLS with the test certificate: a client trusting the test CA gets its echo", async () => {
    const acq = new Acquirer();
    const logs: string[] = [];
    const server = await serveTcp(acq, 0, "127.0.0.1", (l) => logs.push(l), testServerCredentials());
    const port = (server.address() as net.AddressInfo).port;
    try {
      const reply = await echoOverTls(port, testCert("ca.pem"));
      assert.equal(reply.mti, "0810");
      assert.equal(reply.f[39], "00");
      assert.ok(logs.some((l) => l.endsWith("(TLS)")), logs.join("\n"));
      // a client that trusts another CA refuses the server, which logs the failed handshake
      await assert.rejects(echoOverTls(port, testCert("rogue-ca.pem")), /certificate|self.signed|verify/i);
      assert.equal(acq.trace.length, 1, "the refusing client's echo never reached the acquirer");
    } finally { server.close(); }
  });

  it("parses --tls, --cert and --key and refuses what does not go together", () => {
    const p = parseArgs(["--port", "5000", "--tls"]);
    assert.ok(typeof p !== "string");
    assert.ok(p.tls && p.tls.cert.includes("BEGIN CERTIFICATE") && p.testCert);
    const own = parseArgs(["--port", "5000", "--tls", "--cert", path.join(TEST_CERTS_DIR, "rogue-server.pem"), "--key", path.join(TEST_CERTS_DIR, "rogue-server.key")]);
    assert.ok(typeof own !== "string" && own.tls && !own.testCert);
    assert.equal(typeof parseArgs(["--port", "5000"]) !== "string" && (parseArgs(["--port", "5000"]) as any).tls, null);
    assert.match(parseArgs(["--port", "1", "--cert", "a.pem", "--key", "b.key"]) as string, /need --tls/);
    assert.match(parseArgs(["--port", "1", "--tls", "--cert", "a.pem"]) as string, /go together/);
    assert.match(parseArgs(["--port", "1", "--tls", "--cert", "/nonexistent.pem", "--key", "/nonexistent.key"]) as string, /cannot read --cert/);
    assert.match(parseArgs(["--port", "1", "--tls", "--cert", path.join(TEST_CERTS_DIR, "README.md"), "--key", path.join(TEST_CERTS_DIR, "server.key")]) as string, /not a PEM file/);
  });

  it("`pos-sim acquirer --tls` on the command line: serves the test certificate and says so", async () => {
    const port = await freePort();
    const bin = path.resolve(__dirname, "../../sim/bin.js");
    const child = spawn(process.execPath, [bin, "acquirer", "--port", String(port), "--tls"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (b) => { out += b.toString(); });
    child.stderr.on("data", (b) => { out += b.toString(); });
    try {
      const t0 = Date.now();
      while (!out.includes("listening") && Date.now() - t0 < 30000 && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
      assert.match(out, new RegExp(`listening on 127\\.0\\.0\\.1:${port} \\(TLS\\)`), out);
      assert.match(out, /TEST ONLY certificate/);
      const reply = await echoOverTls(port, testCert("ca.pem"));
      assert.equal(reply.f[39], "00");
    } finally { child.kill("SIGINT"); }
    await new Promise((r) => child.once("exit", r));
  });
});
