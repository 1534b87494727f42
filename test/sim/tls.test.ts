// The simulator's tls module (sim/runtime/api-modules.ts over the TLS model, sim/bus/tls.ts):
// a handshake over the virtual network, and the failures as the firmware sees them on
// Espruino (measured on the ESP32 twin: the connect callback before the handshake; a failed
// handshake prints "Uncaught InternalError: mbedtls_ssl_handshake returned ...", then error -8
// "unsent data" if a write was held, end, close).
import { strict as assert } from "assert";
import { createWorld, type World } from "../../sim/harness";
import { testCert, testServerCredentials, tlsServerSocket, TlsCredentials, RecordReader, record, Rec } from "../../sim/bus/tls";

const HOST = "acquirer.local", PORT = 5000;
const CLIENT = `
var S = require("Storage");
var ca = S.read("acq-ca.der");
var opts = { host: "${HOST}", port: ${PORT} };
if (ca) opts.ca = ca;
var s = require("tls").connect(opts, function () { console.log("callback"); s.write("HELLO"); });
s.on("connect", function () { console.log("connect"); });
s.on("data", function (d) { console.log("data " + d); s.end(); });
s.on("error", function (e) { console.log("error " + e.code + " " + e.message); });
s.on("end", function () { console.log("end"); });
s.on("close", function (h) { console.log("close " + h); });
`;

function world(opts: { creds?: TlsCredentials; ca?: Uint8Array | null; verify?: boolean; source?: string } = {}): { w: World; served: string[]; logs: string[] } {
  const files: Record<string, Uint8Array> = {};
  if (opts.ca !== null) files["acq-ca.der"] = opts.ca ?? testCert("ca.der");
  const w = createWorld({ board: "pos-esp32-v1", source: opts.source ?? CLIENT, bundle: "/virtual/tls.js", storageFiles: files, tlsVerify: opts.verify, boot: false });
  const served: string[] = [], logs: string[] = [];
  w.net.listen(HOST, PORT, (raw) => {
    const s = tlsServerSocket(raw, opts.creds ?? testServerCredentials(), (l) => logs.push(l));
    s.onData((d) => { served.push(d); s.write("PONG:" + d); });
  });
  w.powerOn();
  w.run(2);
  return { w, served, logs };
}

describe("simulator: the tls module", () => {
  it("completes a handshake with the acquirer's TEST ONLY certificate and carries data both ways", () => {
    const { w, served, logs } = world();
    assert.deepEqual(w.console, ["connect", "callback", "data PONG:HELLO", "end", "close false"]);
    assert.deepEqual(served, ["HELLO"]);
    assert.deepEqual(logs, []);
    assert.deepEqual(w.errors, []);
  });

  it("the bytes on the virtual wire are records: nothing before the handshake, the write after it", () => {
    const w = createWorld({ board: "pos-esp32-v1", source: CLIENT, bundle: "/virtual/tls.js", storageFiles: { "acq-ca.der": testCert("ca.der") }, boot: false });
    const seen: number[] = [];
    w.net.listen(HOST, PORT, (raw) => {
      const inner = tlsServerSocket(raw, testServerCredentials());
      const spy = new RecordReader((type) => seen.push(type));
      raw.onData((d) => spy.push(d));
      inner.onData(() => inner.write("OK"));
    });
    w.powerOn();
    w.run(2);
    assert.deepEqual(seen, [Rec.HELLO, Rec.FINISHED, Rec.DATA]);
    assert.equal(record(Rec.DATA, "ab"), "\x44\x00\x02ab");
  });

  it("a server certificate from another CA: the error the firmware sees, and the server hears why", () => {
    const { w, served, logs } = world({ creds: testServerCredentials("rogue-") });
    assert.deepEqual(w.console, ["connect", "callback",
      "Uncaught InternalError: mbedtls_ssl_handshake returned -0x2700 (sim: certificate not trusted)",
      "error -8 unsent data", "end", "close true"]);
    assert.deepEqual(served, [], "nothing reached the server");
    assert.deepEqual(logs, ["TLS: the client refused the handshake: certificate not trusted"]);
  });

  it("a server with the right certificate but not its key fails the handshake", () => {
    const creds = { cert: testServerCredentials().cert, key: testServerCredentials("rogue-").key };
    const { w, served } = world({ creds });
    assert.ok(w.console.some((l) => l.includes("mbedtls_ssl_handshake returned -0x7200 (sim: the server does not hold its certificate's key)")), w.console.join("\n"));
    assert.ok(w.console.includes("error -8 unsent data"));
    assert.deepEqual(served, []);
  });

  it("no CA given: nothing to verify against, the handshake fails", () => {
    const { w, served } = world({ ca: null });
    assert.ok(w.console.some((l) => l.includes("no CA certificate to verify against")), w.console.join("\n"));
    assert.deepEqual(served, []);
  });

  it("tlsVerify false is Espruino 2v29: any certificate is accepted (the CA is loaded, never checked)", () => {
    const { w, served } = world({ creds: testServerCredentials("rogue-"), verify: false });
    assert.deepEqual(w.console, ["connect", "callback", "data PONG:HELLO", "end", "close false"]);
    assert.deepEqual(served, ["HELLO"]);
  });

  it("a CA the interpreter cannot parse throws from connect(): PEM without its NUL, garbage", () => {
    const pem = new Uint8Array(testCert("ca.pem"));
    for (const [ca, why] of [[pem, /PEM without a trailing NUL/], [new Uint8Array([0x30, 0x82, 1, 2, 3]), /format is invalid/]] as const) {
      const { w, served } = world({ ca });
      assert.ok(w.console.some((l) => /^Uncaught .*HTTPS init failed! mbedtls_x509_crt_parse of 'ca'/.test(l) && why.test(l)), w.console.join("\n"));
      assert.deepEqual(served, []);
    }
    // PEM with a trailing NUL parses, as in mbedTLS
    const withNul = new Uint8Array([...pem, 0]);
    assert.ok(world({ ca: withNul }).w.console.includes("data PONG:HELLO"));
  });

  it("a server that is not TLS closes on the hello: error -8 unsent data, nothing delivered", () => {
    const w = createWorld({ board: "pos-esp32-v1", source: CLIENT, bundle: "/virtual/tls.js", storageFiles: { "acq-ca.der": testCert("ca.der") }, boot: false });
    const got: string[] = [];
    w.net.listen(HOST, PORT, (raw) => raw.onData((d) => { got.push(d); raw.end(); }));
    w.powerOn();
    w.run(2);
    assert.deepEqual(w.console, ["connect", "callback", "error -8 unsent data", "end", "close true"]);
    assert.equal(got.length, 1);
    assert.equal(got[0]!.charCodeAt(0), Rec.HELLO, "only the hello left the terminal");
  });

  it("the JsVar model charges mbedTLS's context while a TLS socket is open (twin: 2,769)", () => {
    const src = `
var before = process.memory().usage;
var s = require("tls").connect({ host: "${HOST}", port: ${PORT}, ca: require("Storage").read("acq-ca.der") }, function () {
  console.log("open " + (process.memory().usage - before)); s.write("HI");
});
s.on("data", function () { s.end(); });
s.on("close", function () { setTimeout(function () { console.log("closed " + (process.memory().usage - before)); }, 10); });
`;
    const { w } = world({ source: src });
    const open = Number(w.console.find((l) => l.startsWith("open "))!.slice(5));
    const closed = Number(w.console.find((l) => l.startsWith("closed "))!.slice(7));
    assert.ok(open >= 2769 && open < 2769 + 100, `open: +${open}`);
    assert.ok(closed < 50, `after close: +${closed}`);
    assert.equal(w.mcu.nativeJsVars, 0);
  });

  it("a network down before the handshake: error, close, as net does", () => {
    const w = createWorld({ board: "pos-esp32-v1", source: CLIENT, bundle: "/virtual/tls.js", boot: false, storageFiles: { "acq-ca.der": testCert("ca.der") } });
    w.net.setUp(false);
    w.powerOn();
    w.run(2);
    assert.ok(w.console.includes("error -1 not connected") || w.console.some((l) => l.startsWith("error -1")), w.console.join("\n"));
    assert.ok(w.console.includes("close false"));
  });
});
