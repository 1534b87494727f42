// TLS to the acquirer on the built bundle (docs/host-protocol.md §1.5), board pos-esp32-tls:
// the terminal reads its CA from Storage (acq-ca.der), the acquirer simulator serves its
// TEST ONLY certificate through the TLS model on the virtual network.
import { strict as assert } from "assert";
import { SimTarget, ACQUIRER_HOST, ACQUIRER_PORT } from "../../sim/scenario/target-sim";
import { Acquirer } from "../../sim/acquirer/acquirer";
import * as path from "path";
import * as zlib from "zlib";
import { testCert, testServerCredentials, TlsCredentials } from "../../sim/bus/tls";
import { createWorld } from "../../sim/harness";
import { waitFor, screenHas, swipeSale } from "../support/flows";

const BOARD = "pos-esp32-tls";
const has = screenHas;
/** a swiped sale (test/support/flows.ts), then CANCEL past the customer copy */
function sale(t: SimTarget, amount: number): string {
  const s = swipeSale(t, amount);
  t.press("CANCEL"); t.run(1);
  return s;
}
/** the acquirer's listener swapped for one serving other credentials (a rogue server, or back) */
function serve(t: SimTarget, acq: Acquirer, creds = testServerCredentials()): void {
  t.world.net.unlisten(ACQUIRER_HOST, ACQUIRER_PORT);
  acq.attach(t.world.net, ACQUIRER_HOST, ACQUIRER_PORT, creds);
}
const tlsLines = (t: SimTarget) => t.consoleLines().filter((l) => l.includes("TLS"));

describe("host link over TLS on the built bundle", function () {
  this.timeout(300000);

  it("a sale over TLS is approved by the acquirer serving TLS; the MAC is still checked inside", () => {
    const t = new SimTarget({ board: BOARD });
    const s = sale(t, 1500);
    assert.ok(s.includes("Customer copy?"), s);
    assert.deepEqual(t.acquirer.trace.map((x) => x.mti), ["0200"]);
    assert.equal(t.acquirer.macFailures, 0);
    assert.equal(t.acquirer.tlsFailures, 0);
    const l = t.ledger();
    assert.equal(l.charges.length, 1);
    assert.equal(l.charges[0].amount, 1500);
    assert.deepEqual(tlsLines(t), []);
    assert.deepEqual(t.world.errors.map((e) => e.message), []);
  });

  it("a server certificate the terminal does not trust: not sent, nothing charged; a pending reversal waits for the right server", () => {
    const t = new SimTarget({ board: BOARD });
    assert.ok(waitFor(t, 60, () => has(t, ["READY"])));
    // first a sale whose reply is lost (and the immediate reversal's too): a reversal is owed
    t.acquirer.inject({ fault: "noResponse", count: 2 });
    let s = sale(t, 1100);
    assert.ok(s.includes("NO RESPONSE") && s.includes("reversal pending"), s);
    // now a server with a certificate from another CA answers at the acquirer's address
    serve(t, t.acquirer, testServerCredentials("rogue-"));
    const before = t.acquirer.trace.length;
    s = sale(t, 1200);
    assert.ok(s.includes("NO CONNECTION") && s.includes("Reversal undelivered"), s);
    assert.equal(t.acquirer.trace.length, before, "no request reached the untrusted server");
    assert.ok(t.acquirer.tlsFailures >= 1);
    assert.ok(tlsLines(t).some((l) => l.includes("host: TLS: handshake failed (certificate not trusted?)")), tlsLines(t).join("\n"));
    // the trusted server again: the reversal goes first, then the sale
    serve(t, t.acquirer);
    s = sale(t, 1300);
    assert.ok(s.includes("Customer copy?"), s);
    const mtis = t.acquirer.trace.map((x) => x.mti);
    assert.deepEqual(mtis.slice(-2), ["0400", "0200"], mtis.join(" "));
    const l = t.ledger();
    assert.equal(l.reversed, 1);
    assert.deepEqual(l.charges.map((c: any) => c.amount), [1300]);
    assert.equal(l.doubleCharges, 0);
    assert.deepEqual(l.violations.filter((v: any) => v.type !== "ORPHAN_REVERSAL"), []);
  });

  it("an untrusted server on a sale with nothing pending: NOT_SENT, the number is not charged anywhere", () => {
    const t = new SimTarget({ board: BOARD, acquirerTls: testServerCredentials("rogue-") });
    const s = sale(t, 1400);
    assert.ok(s.includes("NO CONNECTION") && s.includes("Host unreachable"), s);
    assert.equal(t.acquirer.trace.length, 0);
    // no reversal is owed for a request that never left: the next sale on a trusted server goes alone
    serve(t, t.acquirer);
    const s2 = sale(t, 1500);
    assert.ok(s2.includes("Customer copy?"), s2);
    assert.deepEqual(t.acquirer.trace.map((x) => x.mti), ["0200"]);
  });

  it("no CA certificate provisioned: the link refuses to connect and boot says why", () => {
    const t = new SimTarget({ board: BOARD, tlsCa: null });
    const s = sale(t, 1600);
    assert.ok(s.includes("NO CONNECTION"), s);
    assert.equal(t.world.net.stats.connects, 0, "never connected");
    assert.ok(t.consoleLines().some((l) => l.includes("host: TLS: no CA certificate in Storage (acq-ca.der): host link refused")));
  });

  it("posConfig(\"acqCa\", base64 of the DER) provisions the CA: checked, written, read back; the next sale connects", () => {
    const t = new SimTarget({ board: BOARD, tlsCa: null });
    assert.ok(waitFor(t, 60, () => has(t, ["READY"])));
    const der = testCert("ca.der");
    for (const bad of ["bm90IGEgY2VydA==", testCert("ca.pem").toString("base64")]) {
      t.world.mcu.invoke(`posConfig("acqCa", "${bad}")`, undefined, []);
    }
    t.world.mcu.invoke(`posConfig("acqCa", "${der.toString("base64")}")`, undefined, []);
    t.run(0.5);
    const lines = t.consoleLines().filter((l) => l.startsWith("posConfig: acqCa"));
    assert.deepEqual(lines, [
      "posConfig: acqCa: base64 of one DER certificate (openssl x509 -outform DER | base64 -w0)",
      "posConfig: acqCa: base64 of one DER certificate (openssl x509 -outform DER | base64 -w0)",
      `posConfig: acqCa saved (${der.length} bytes, CRC32 ${zlib.crc32(der).toString(16)})`,
    ]);
    assert.ok(Buffer.from(t.world.storage.read("acq-ca.der")!).equals(der));
    const s = sale(t, 1800);
    assert.ok(s.includes("Customer copy?"), s);
  });

  it("Espruino 2v29 (tls does not verify): an untrusted server gets the request, and the MAC stops its approval", () => {
    // the rogue has no MAC key: it approves without a valid DE 64
    const t = new SimTarget({ board: BOARD, tlsVerify: false, acquirerTls: testServerCredentials("rogue-"), acquirer: { macKey: null } });
    const s = sale(t, 1700);
    assert.ok(s.includes("NO RESPONSE") && s.includes("Bad reply"), s);
    assert.ok(t.acquirer.trace.some((x) => x.mti === "0200"), "the request reached the rogue server: the PAN is exposed on 2v29");
  });

  it("probe-host.js: an echo over TLS with the link's steps and JsVars; an untrusted server fails the handshake", () => {
    const run = (creds: TlsCredentials) => {
      const w = createWorld({ board: BOARD, bundle: path.resolve(__dirname, "../../dist", BOARD, "probe-host.js"), boot: false,
        storageFiles: { "acq-ca.der": testCert("ca.der") } });
      const acq = new Acquirer({ after: (ms, fn) => w.clock.after(ms / 1000, fn) });
      acq.attach(w.net, ACQUIRER_HOST, ACQUIRER_PORT, creds);
      w.powerOn();
      w.run(5);
      return w.console.filter((l) => l.startsWith("host: "));
    };
    const ok = run(testServerCredentials());
    assert.match(ok[0]!, /^host: echo to acquirer\.local:5000 over TLS, JsVars \d+$/);
    assert.ok(ok.includes("host: echo answered, RC 00"), ok.join("\n"));
    assert.ok(ok.some((l) => /^host: JsVars before \d+, highest \d+ \(\+\d+\), after \d+$/.test(l)), ok.join("\n"));
    const rogue = run(testServerCredentials("rogue-"));
    assert.ok(rogue.includes("host: FAILED NOT_SENT: TLS: handshake failed"), rogue.join("\n"));
    assert.ok(rogue.includes("host: TLS: handshake failed (certificate not trusted?)"));
  });
});
