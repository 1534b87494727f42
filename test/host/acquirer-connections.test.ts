// The acquirer simulator's connections: idle and half-sent connections are closed after a
// configurable time (virtual time in the simulator), and every frame it rejects is logged
// with the reason.
import { strict as assert } from "assert";
import * as net from "net";
import { Acquirer, AcquirerOptions, DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_PARTIAL_TIMEOUT_MS } from "../../sim/acquirer/acquirer";
import { serveTcp } from "../../sim/acquirer/tcp";
import { VirtualClock } from "../../sim/bus/clock";
import { VirtualNetworkImpl } from "../../sim/bus/network";
import { pack } from "../../firmware/host/iso8583";
import { frame } from "../../firmware/host/frame";
import { fromHex } from "../../firmware/host/hex";
import { packMacked } from "../../firmware/host/link";
import { TEST_MAC } from "./world";

const latin1 = (b: Uint8Array) => Buffer.from(b).toString("latin1");
const sale = (stan: number) => frame(packMacked({ mti: "0200", f: { 3: "000000", 4: "000000001000", 11: String(stan).padStart(6, "0"), 41: "TERM0001", 62: "000001" } }, TEST_MAC), "001");

function rig(opts: AcquirerOptions = {}) {
  const clock = new VirtualClock();
  const vnet = new VirtualNetworkImpl(clock);
  const log: string[] = [];
  const acq = new Acquirer({ after: (ms, fn) => clock.after(ms / 1000, fn), cancel: (h) => clock.cancel(h as number), log: (l) => log.push(l), ...opts });
  acq.attach(vnet, "acq", 5000);
  const sock = vnet.connect("acq", 5000);
  let closedAt = -1;
  const got: string[] = [];
  sock.onClose(() => { closedAt = clock.now(); });
  sock.onData((d) => got.push(d));
  return { clock, acq, sock, log, got, closedAt: () => closedAt };
}

describe("acquirer simulator: connection timeouts and rejected frames", () => {
  it("defaults: 60 s idle, 10 s for a frame left half-sent", () => {
    assert.equal(DEFAULT_IDLE_TIMEOUT_MS, 60000);
    assert.equal(DEFAULT_PARTIAL_TIMEOUT_MS, 10000);
  });

  it("closes a connection that sends nothing (virtual time) and logs why", () => {
    const r = rig();
    r.clock.advanceTo(59);
    assert.equal(r.closedAt(), -1);
    r.clock.advanceTo(61);
    assert.ok(Math.abs(r.closedAt() - 60.04) < 0.001, String(r.closedAt()));
    assert.deepEqual(r.log, ["acquirer: connection 1: closing: idle for 60000 ms"]);
  });

  it("closes a half-sent frame after the partial timeout", () => {
    const r = rig();
    r.sock.write(latin1(sale(1).subarray(0, 10)));
    r.clock.advanceTo(9);
    assert.equal(r.closedAt(), -1);
    r.clock.advanceTo(11);
    assert.ok(r.closedAt() > 10 && r.closedAt() < 10.1, String(r.closedAt()));
    assert.deepEqual(r.log, ["acquirer: connection 1: closing: partial frame (10 bytes) unfinished for 10000 ms"]);
  });

  it("answers, then counts idle time from the last activity; the limits are configurable (0: never)", () => {
    const r = rig({ idleTimeoutMs: 5000 });
    r.clock.advanceTo(4);
    r.sock.write(latin1(sale(1)));
    r.clock.advanceTo(8);
    assert.equal(r.got.length, 1, "answered");
    assert.equal(r.closedAt(), -1);
    r.clock.advanceTo(10);
    assert.ok(r.closedAt() > 9 && r.closedAt() < 9.1, String(r.closedAt()));
    const never = rig({ idleTimeoutMs: 0, partialTimeoutMs: 0 });
    never.sock.write("\x00");
    never.clock.advanceTo(3600);
    assert.equal(never.closedAt(), -1);
  });

  it("a late reply keeps the connection open past the idle time", () => {
    const r = rig({ idleTimeoutMs: 5000 });
    r.acq.inject({ fault: "late", delayMs: 20000 });
    r.sock.write(latin1(sale(1)));
    r.clock.advanceTo(19);
    assert.equal(r.closedAt(), -1);
    r.clock.advanceTo(21);
    assert.equal(r.got.length, 1);
    r.clock.advanceTo(30);
    assert.ok(r.closedAt() > 25 && r.closedAt() < 25.1, String(r.closedAt()));
  });

  it("logs every rejected frame with its reason and closes the connection", () => {
    const cases: [string, RegExp][] = [
      ["0004600000", /rejected frame: impossible frame length \(must be 5\.\.2048 bytes\)/],
      ["0801", /rejected frame: impossible frame length/],
      [latin1(sale(1)).replace(/^(..)\x60/s, "$1\x61"), /rejected frame: TPDU id 0x61, expected 0x60 \(\d+ bytes\)/],
      [latin1(sale(1)).replace(/^(..\x60)../s, "$1\xab\xcd"), /rejected frame: TPDU destination ABCD is not a BCD NII \(\d+ bytes\)/],
      ["000960000000000200ffff", /rejected frame: malformed request \(9 bytes\): /],
    ];
    for (const [data, re] of cases) {
      const r = rig();
      const bytes = /^[0-9a-f]+$/.test(data) ? latin1(fromHex(data)!) : data;
      r.sock.write(bytes);
      r.clock.advanceTo(1);
      assert.match(r.log.join("\n"), re, data);
      assert.match(r.log.join("\n"), /closing: rejected frame/);
      assert.ok(r.closedAt() > 0 && r.closedAt() < 1, data);
      assert.equal(r.acq.errors.length, 1);
    }
  });

  it("over real TCP the timeouts use the wall clock", async () => {
    const log: string[] = [];
    const acq = new Acquirer({ partialTimeoutMs: 200, log: (l) => log.push(l) });
    const server = await serveTcp(acq, 0);
    const port = (server.address() as net.AddressInfo).port;
    try {
      const c = net.connect(port, "127.0.0.1");
      await new Promise<void>((res) => c.once("connect", () => res()));
      c.write(Buffer.from([0x00, 0x40, 0x60]));
      const t0 = Date.now();
      await new Promise<void>((res) => c.once("close", () => res()));
      const dt = Date.now() - t0;
      assert.ok(dt >= 150 && dt < 5000, String(dt));
      assert.deepEqual(log, ["acquirer: connection 1: closing: partial frame (3 bytes) unfinished for 200 ms"]);
    } finally { server.close(); }
  });
});
