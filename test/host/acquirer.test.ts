// The acquirer simulator on its own: decisions, ledger checks, fault modes, the standalone TCP
// server and the pos-sim commands.
import { strict as assert } from "assert";
import * as net from "net";
import { Acquirer } from "../../sim/acquirer/acquirer";
import { serveTcp } from "../../sim/acquirer/tcp";
import { decodeHex, maskDigits } from "../../sim/acquirer/decode";
import { parseArgs } from "../../sim/commands/acquirer";
import { run as iso8583Cli } from "../../sim/commands/iso8583";
import { IsoMsg, pack, unpack } from "../../firmware/host/iso8583";
import { createDeframer, frame } from "../../firmware/host/frame";
import { formatTotals } from "../../firmware/host/messages";
import { toHex } from "../../firmware/host/hex";
import { capture } from "../support/console";

const TID = "TERM0001";
function req(mti: string, stan: number, f: { [de: number]: string } = {}): IsoMsg {
  return { mti, f: { 3: "000000", 11: String(stan).padStart(6, "0"), 41: TID, ...f } };
}
function saleReq(stan: number, amount: number, invoice: number): IsoMsg {
  return req("0200", stan, { 4: String(amount).padStart(12, "0"), 35: "4111111111111111=3012", 62: String(invoice).padStart(6, "0") });
}

describe("acquirer simulator", () => {
  it("approves with RRN and auth code; declines amounts ending in 51; rules configurable", () => {
    const a = new Acquirer();
    const ok = a.process(saleReq(1, 1000, 1));
    assert.equal(ok.f[39], "00");
    assert.equal(String(ok.f[37]).length, 12);
    assert.equal(String(ok.f[38]).length, 6);
    assert.equal(a.process(saleReq(2, 2051, 2)).f[39], "51");
    const b = new Acquirer({ declineRules: [{ endsWith: "13", rc: "05" }] });
    assert.equal(b.process(saleReq(1, 2013, 1)).f[39], "05");
    assert.equal(b.process(saleReq(2, 2051, 2)).f[39], "00");
  });

  it("a reused STAN is answered 94, not charged, and flagged", () => {
    const a = new Acquirer();
    a.process(saleReq(7, 1000, 1));
    assert.equal(a.process(saleReq(7, 5000, 2)).f[39], "94");
    const l = a.ledger(TID);
    assert.equal(l.charges.length, 1);
    assert.deepEqual(l.violations.map((v) => v.type), ["STAN_REUSE"]);
  });

  it("reversals match on TID + STAN + amount + processing code; orphans answered 00 and counted", () => {
    const a = new Acquirer();
    a.process(saleReq(1, 1000, 1));
    const rev = req("0400", 1, { 4: "000000001000" });
    assert.equal(a.process(rev).f[39], "00");
    assert.equal(a.ledger(TID).charges.length, 0);
    assert.equal(a.ledger(TID).reversed, 1);
    assert.equal(a.process(rev).f[39], "00", "repeat is idempotent");
    assert.equal(a.ledger(TID).reversed, 1);
    assert.equal(a.process(req("0400", 99, { 4: "000000000100" })).f[39], "00");
    assert.equal(a.ledger(TID).orphanReversals, 1);
    a.process(saleReq(2, 3000, 2));
    a.process(req("0400", 2, { 4: "000000000001" }));
    assert.equal(a.ledger(TID).violations[0]!.type, "REVERSAL_MISMATCH");
    assert.equal(a.ledger(TID).charges.length, 1, "a mismatched reversal undoes nothing");
  });

  it("settlement: equal totals close the batch; different totals answer 95", () => {
    const a = new Acquirer();
    a.process(saleReq(1, 1000, 1));
    a.process(saleReq(2, 2000, 2));
    const wrong = req("0500", 3, { 3: "920000", 60: "000001", 63: formatTotals({ saleCount: 1, saleAmount: 1000, refundCount: 0, refundAmount: 0 }) });
    assert.equal(a.process(wrong).f[39], "95");
    const right = req("0500", 4, { 3: "920000", 60: "000001", 63: formatTotals({ saleCount: 2, saleAmount: 3000, refundCount: 0, refundAmount: 0 }) });
    assert.equal(a.process(right).f[39], "00");
    assert.equal(a.ledger(TID).settlements, 1);
    assert.deepEqual(a.ledger(TID).totals, { saleCount: 0, saleAmount: 0, refundCount: 0, refundAmount: 0 });
  });

  it("re-settling a batch the host already closed (0510 lost) is answered 00, not counted twice", () => {
    const a = new Acquirer();
    a.process(saleReq(1, 1000, 1));
    const totals = formatTotals({ saleCount: 1, saleAmount: 1000, refundCount: 0, refundAmount: 0 });
    assert.equal(a.process(req("0500", 2, { 3: "920000", 60: "000001", 63: totals })).f[39], "00");
    assert.equal(a.process(req("0500", 3, { 3: "920000", 60: "000001", 63: totals })).f[39], "00");
    assert.equal(a.ledger(TID).settled.length, 1);
    assert.equal(a.ledger(TID).doubleCharges, 0);
    assert.equal(a.ledger(TID).violations.length, 0);
  });

  it("a charge the terminal does not upload is a double charge", () => {
    const a = new Acquirer();
    a.process(saleReq(1, 1000, 1));
    a.process(saleReq(2, 2000, 1)); // same invoice charged twice
    assert.equal(a.ledger(TID).doubleCharges, 1);
  });

  it("faults are consumed per matching message, in order", () => {
    const a = new Acquirer();
    a.inject({ mti: "0800", fault: "drop", count: 2 });
    a.inject({ mti: "0200", fault: "rc", rc: "91" });
    const sent: string[] = [];
    const send = (s: string) => sent.push(s);
    a.respond(saleReq(1, 100, 1), "123", send, () => {});
    a.respond(req("0800", 2, { 3: "990000" }), "123", send, () => {});
    a.respond(req("0800", 3, { 3: "990000" }), "123", send, () => {});
    a.respond(req("0800", 4, { 3: "990000" }), "123", send, () => {});
    assert.equal(sent.length, 2);
    const rc = (s: string) => unpack(Buffer.from(s, "latin1").subarray(7)).f[39];
    assert.equal(rc(sent[0]!), "91");
    assert.equal(rc(sent[1]!), "00");
    assert.equal(a.ledger(TID).charges.length, 0, "rc fault: not processed");
    assert.equal(a.pendingFaults().length, 0);
  });

  it("serves real TCP on loopback (standalone mode)", async () => {
    const a = new Acquirer();
    const server = await serveTcp(a, 0);
    const port = (server.address() as net.AddressInfo).port;
    const reply = await new Promise<IsoMsg>((resolve, reject) => {
      const s = net.connect(port, "127.0.0.1", () => s.write(Buffer.from(frame(pack(req("0800", 1, { 3: "990000" })), "123"))));
      const d = createDeframer((tpdu, m) => { s.end(); resolve(unpack(m)); }, reject);
      s.on("data", (b) => d.push(new Uint8Array(b)));
      s.on("error", reject);
    });
    server.close();
    assert.equal(reply.mti, "0810");
    assert.equal(reply.f[39], "00");
  });

  it("parses its command line and rejects bad options clearly", () => {
    const p = parseArgs(["--port", "5000", "--decline", "13:05", "--fault", "0200:rc=95:2"]);
    assert.ok(typeof p !== "string");
    assert.deepEqual(p.declines, [{ endsWith: "13", rc: "05" }]);
    assert.deepEqual(p.faults, [{ mti: "0200", fault: "rc", rc: "95", count: 2 }]);
    assert.match(parseArgs([]) as string, /--port/);
    assert.match(parseArgs(["--port", "70000"]) as string, /--port/);
    assert.match(parseArgs(["--port", "1", "--fault", "0200:explode"]) as string, /unknown fault/);
    assert.match(parseArgs(["--port", "1", "--bogus"]) as string, /unknown option/);
  });
});

describe("pos-sim iso8583", () => {
  const sale = "02003038058020C0000400000000000000123400000210153011260021012300234111111111111111D30121005445524D303030314D45524348414E54303030303030310006303030303031";

  it("decodes with or without length and TPDU, PAN and track 2 masked", () => {
    const framed = toHex(frame(Buffer.from(sale, "hex"), "123"));
    for (const hex of [sale, framed, framed.slice(4), "00" + (sale.length / 2).toString(16).padStart(2, "0") + sale]) {
      const r = capture(() => iso8583Cli([hex]));
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /MTI  0200/);
      assert.match(r.out, /Track 2 .*411111\*\*\*\*\*\*1111=\*+/);
      assert.ok(!r.out.includes("4111111111111111"), "PAN never in clear");
      assert.match(r.out, /Invoice .*"000001"/);
    }
  });

  it("fails clearly on malformed input", () => {
    let r = capture(() => iso8583Cli(["02003038"]));
    assert.equal(r.code, 1);
    assert.match(r.err, /TRUNCATED/);
    r = capture(() => iso8583Cli(["zz"]));
    assert.match(r.err, /not hex/);
    r = capture(() => iso8583Cli([]));
    assert.equal(r.code, 2);
  });

  it("masks like PCI: first 6 and last 4 at most", () => {
    assert.equal(maskDigits("4111111111111111"), "411111******1111");
    assert.equal(maskDigits("4111111111111111=3012101"), "411111******1111=*******");
    assert.equal(maskDigits("1234"), "****");
    assert.equal(decodeHex(sale).lines[0], "MTI  0200");
  });
});
