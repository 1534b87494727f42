// The simulator's dgram module (sim/runtime/api-modules.ts) over the virtual network's UDP
// (sim/bus/network.ts), and the virtual SNTP server (sim/bus/sntp.ts), as Espruino 2v29's dgram
// behaves on the ESP32 twin (docs/time.md "SNTP": send(msg, port, host) and the 5-argument
// form, strings only, a typed array sent as its toString(), no error for an unknown host,
// "message" with (msg, { address, port, size }), "close" after close()).
import { strict as assert } from "assert";
import { createWorld, type World } from "../../sim/harness";
import { SntpServer, ntpReply, ntpStamp, NTP_UNIX, SNTP_FAULTS } from "../../sim/bus/sntp";
import { WORLD_EPOCH_MS } from "../../sim/bus/clock";

/** the firmware side: one socket, requests typed at the console (global functions) */
const CLIENT = `
var s = require("dgram").createSocket("udp4");
s.on("message", function (m, r) { console.log("message " + m.length + " " + JSON.stringify(r) + " " + E.toUint8Array(m).slice(0, 2).join(",")); });
s.on("close", function (h) { console.log("close " + h); });
global.req = function (b0) { var q = new Uint8Array(48); q[0] = b0 === undefined ? 0x23 : b0; q[40] = 7; q[47] = 9; return E.toString(q); };
`;

function world(source = CLIENT): { w: World; sntp: SntpServer; run(js: string): void } {
  const w = createWorld({ board: "pos-esp32-v1", source, bundle: "/virtual/dgram.js", boot: false });
  const sntp = new SntpServer(w.net, { host: "pool.ntp.org", port: 123, clock: w.clock, utcMs: () => WORLD_EPOCH_MS + w.clock.now() * 1000 });
  w.powerOn();
  w.run(0.1);
  return { w, sntp, run: (js) => { w.mcu.invoke(js, undefined, []); w.run(0.5); } };
}

describe("simulator: the dgram module and the virtual SNTP server", () => {
  it("a request to the board's SNTP server: one reply, the origin is the request's transmit timestamp; close emits close", () => {
    const { w, sntp, run } = world();
    let got = "";
    run('s.send(req(), 123, "pool.ntp.org")');
    assert.deepEqual(sntp.stats, { requests: 1, replies: 1, ignored: 0 });
    assert.match(w.console[0]!, /^message 48 \{"address":"pool.ntp.org","port":123,"size":48\} 36,2$/);
    run("s.close()");
    assert.equal(w.console[1], "close false");
    got = w.console.join("\n");
    assert.ok(!got.includes("Uncaught"), got);
    assert.equal(w.net.udpBound(), 1, "only the server's endpoint is left");
  });

  it("the server's reply, byte by byte: mode 4, stratum 2, origin = the request's bytes 40..47, UTC from the world clock", () => {
    const w = createWorld({ board: "pos-esp32-v1", source: "1", bundle: "/virtual/x.js", boot: false });
    const utc = WORLD_EPOCH_MS - 3600000;
    new SntpServer(w.net, { host: "ntp.test", port: 123, clock: w.clock, utcMs: () => utc + w.clock.now() * 1000 });
    const replies: Buffer[] = [];
    const c = w.net.udpBind("client.test", 0, (d) => replies.push(Buffer.from(d, "latin1")));
    const req = Buffer.alloc(48); req[0] = 0x23; req.write("ABCDEFGH", 40, "latin1");
    c.send("ntp.test", 123, req.toString("latin1"));
    w.run(1);
    assert.equal(replies.length, 1);
    const r = replies[0]!;
    assert.equal(r.length, 48);
    assert.deepEqual([r[0]! & 7, (r[0]! >> 3) & 7, r[0]! >> 6, r[1]], [4, 4, 0, 2]);
    assert.equal(r.subarray(24, 32).toString("latin1"), "ABCDEFGH");
    const tx = r.readUInt32BE(40) - NTP_UNIX + r.readUInt32BE(44) / 2 ** 32;
    assert.ok(Math.abs(tx - (utc / 1000 + 0.02)) < 1e-3, "the time when the request arrived (20 ms latency)");
    assert.deepEqual(r.subarray(32, 40), r.subarray(40, 48), "receive = transmit: no hold");
    assert.deepEqual(ntpStamp(0).readUInt32BE(0), NTP_UNIX);
  });

  it("strings only: a typed array goes out as its toString(), the 5-argument form takes a slice", () => {
    const { w, run } = world();
    const seen: string[] = [];
    w.net.udpBind("sink.test", 7, (d, from) => seen.push(d + " from " + from.address));
    run('s.send(new Uint8Array([35, 0, 1]), 7, "sink.test")');
    run('s.send("xxHELLOyy", 2, 5, 7, "sink.test", function () {})');
    assert.deepEqual(seen, ["35,0,1 from 192.168.4.2", "HELLO from 192.168.4.2"]);
  });

  it("nothing arrives, and nothing is reported, for an unknown host, a closed socket or a link that is down", () => {
    const { w, sntp, run } = world();
    run('s.send(req(), 123, "no.such.host")');
    w.net.setUp(false);
    run('s.send(req(), 123, "pool.ntp.org")');
    w.net.setUp(true);
    w.run(3);
    run("s.close()");
    run('s.send(req(), 123, "pool.ntp.org")');
    assert.equal(sntp.stats.requests, 0);
    assert.deepEqual(w.console, ["close false"]);
    assert.ok(w.net.stats.datagramsLost >= 1);
    assert.deepEqual(w.errors, []);
  });

  it("a reply in flight when the link drops is lost", () => {
    const { w, sntp, run } = world();
    w.mcu.invoke('s.send(req(), 123, "pool.ntp.org")', undefined, []);
    w.run(0.03); // the request arrived (20 ms), the reply is on its way
    w.net.setUp(false);
    w.run(1);
    assert.equal(sntp.stats.replies, 1);
    assert.deepEqual(w.console, []);
    void run;
  });

  it("faults, each for the next `count` requests", () => {
    const { w, sntp, run } = world(CLIENT.replace('console.log("message " + m.length', 'console.log("message " + E.toUint8Array(m).slice(24, 32).join(".") + " " + m.length'));
    const replies = () => w.console.filter((l) => l.startsWith("message"));
    sntp.inject("no-answer");
    sntp.inject("wrong-origin");
    sntp.inject("kiss-of-death", 2);
    for (let i = 0; i < 5; i++) run('s.send(req(), 123, "pool.ntp.org")');
    assert.deepEqual(sntp.trace.map((x) => x.fault), ["no-answer", "wrong-origin", "kiss-of-death", "kiss-of-death", ""]);
    const r = replies();
    assert.equal(r.length, 4);
    assert.ok(!r[0]!.startsWith("message 7.0.0.0.0.0.0.9 "), "wrong origin: " + r[0]);
    assert.match(r[1]!, /^message 7\.0\.0\.0\.0\.0\.0\.9 48 .* 36,0$/, "kiss-o'-death: stratum 0");
    assert.match(r[3]!, /^message 7\.0\.0\.0\.0\.0\.0\.9 48 .* 36,2$/, "then good again");
    w.console.length = 0;
    sntp.inject("bad-leap"); run('s.send(req(), 123, "pool.ntp.org")');
    sntp.inject("not-server"); run('s.send(req(), 123, "pool.ntp.org")');
    sntp.inject("short"); run('s.send(req(), 123, "pool.ntp.org")');
    assert.deepEqual(replies().map((l) => l.split(" ").slice(2, 3).concat(l.split(" ").slice(-1)).join(" ")), ["48 228,2", "48 35,2", "40 36,2"]);
    w.console.length = 0;
    sntp.inject("late");
    run('s.send(req(), 123, "pool.ntp.org")');
    assert.equal(replies().length, 0);
    w.run(8);
    assert.equal(replies().length, 1, "after 8 s");
    assert.throws(() => sntp.inject("slow" as any), /unknown SNTP fault "slow" \(known: no-answer, wrong-origin/);
    assert.throws(() => sntp.inject("late", 0), /whole number >= 1/);
    assert.equal(SNTP_FAULTS.length, 8);
  });

  it("a packet that is not a client request is ignored; a power cut closes the firmware's sockets", () => {
    const { w, sntp, run } = world();
    assert.equal(w.net.udpBound(), 1, "a socket takes a port when it first sends");
    run('s.send(req(0x24), 123, "pool.ntp.org")');
    assert.deepEqual(sntp.stats, { requests: 0, replies: 0, ignored: 1 });
    assert.equal(w.net.udpBound(), 2, "the server's port and the client's ephemeral one");
    w.powerCut();
    assert.equal(w.net.udpBound(), 1);
  });

  it("ntpReply builds what the RFC says (a check of the test helper itself)", () => {
    const q = Buffer.alloc(48); q.write("12345678", 40, "latin1");
    const r = ntpReply(q, Date.UTC(2026, 0, 1) / 1000 + 0.5, { stratum: 0, refid: "RATE", li: 3 });
    assert.equal(r[0], 0xe4);
    assert.equal(r.subarray(12, 16).toString("latin1"), "RATE");
    assert.equal(r.readUInt32BE(44), 2 ** 31);
    assert.equal(ntpReply(q, 0, { length: 40 }).length, 40);
  });
});
