import { strict as assert } from "assert";
import { VirtualClock } from "../../sim/bus/clock";
import { PinNetsImpl } from "../../sim/bus/pins";
import { I2CBusImpl } from "../../sim/bus/i2c";
import { UartWire } from "../../sim/bus/uart";
import { VirtualNetworkImpl } from "../../sim/bus/network";
import { NackError } from "../../sim/bus/types";

describe("sim buses", () => {
  it("clock runs events in time order, ties in schedule order", () => {
    const c = new VirtualClock();
    const seen: string[] = [];
    c.at(2, () => seen.push("b"));
    c.at(1, () => seen.push("a1"));
    c.at(1, () => seen.push("a2"));
    const h = c.at(1.5, () => seen.push("cancelled"));
    c.cancel(h);
    c.advanceTo(3);
    assert.deepEqual(seen, ["a1", "a2", "b"]);
    assert.equal(c.now(), 3);
  });

  it("pin nets: push-pull wins, a low part drive beats pull-up, 34-39 have no pulls", () => {
    const c = new VirtualClock();
    const p = new PinNetsImpl(c);
    assert.equal(p.level(25), 1); // default input_pullup
    assert.equal(p.level(35), 0); // no pulls on 35
    const edges: number[] = [];
    p.onChange(25, (l) => edges.push(l));
    p.drive(25, "key", 0);
    assert.equal(p.level(25), 0);
    p.setMode(25, "output"); p.setOutput(25, 1);
    assert.equal(p.level(25), 1);
    assert.deepEqual(edges, [0, 1]);
  });

  it("pin nets: a resolver follows MCU outputs (key matrix)", () => {
    const p = new PinNetsImpl(new VirtualClock());
    p.resolve(25, "keypad", () => (p.level(13) === 0 ? 0 : null));
    assert.equal(p.level(25), 1);
    p.setMode(13, "output"); p.setOutput(13, 0);
    assert.equal(p.level(25), 0);
    p.setOutput(13, 1);
    assert.equal(p.level(25), 1);
  });

  it("I2C: absent address and NackError both throw 'no ACK'", () => {
    const bus = new I2CBusImpl("i2c1", new VirtualClock());
    assert.throws(() => bus.write(0x3c, new Uint8Array([1])), /no ACK/);
    bus.attach({ address: 0x24, write() { throw new NackError("busy"); }, read: (n) => new Uint8Array(n) });
    assert.throws(() => bus.write(0x24, new Uint8Array([1])), /no ACK/);
    assert.deepEqual([...bus.read(0x24, 2)], [0, 0]);
  });

  it("UART: 10 bits per byte; a write beyond the 256-byte queue blocks", () => {
    const c = new VirtualClock();
    const u = new UartWire("uart2", c, 9600);
    const got: number[] = [];
    u.onTx((b, t) => got.push(t));
    const ret = u.mcuWrite(new Uint8Array(300), 0);
    // 300 bytes: the last (299) may enter once byte 43 has started (43 byte times after 0)
    assert.ok(Math.abs(ret - 43 * 10 / 9600) < 1e-9, "returned at " + ret);
    c.advanceTo(1);
    assert.equal(got.length, 300);
    assert.ok(Math.abs(got[0]! - 10 / 9600) < 1e-12);
  });

  it("UART: part bytes arrive paced", () => {
    const c = new VirtualClock();
    const u = new UartWire("uart2", c, 19200);
    const t: number[] = [];
    u.setRxSink((_b, at) => t.push(at));
    u.send("ab");
    c.advanceTo(1);
    assert.equal(t.length, 2);
    assert.ok(Math.abs(t[1]! - 20 / 19200) < 1e-12);
  });

  it("network: latency, refused connects, link drop closes sockets", () => {
    const c = new VirtualClock();
    const net = new VirtualNetworkImpl(c);
    net.latency = 0.05;
    const serverGot: string[] = [];
    net.listen("acq", 5000, (s) => { s.onData((d) => { serverGot.push(d); s.write("re:" + d); }); });
    assert.throws(() => net.connect("acq", 1), /refused/);
    const sock = net.connect("acq", 5000);
    const clientGot: [string, number][] = [];
    let closedAt = -1;
    sock.onData((d) => clientGot.push([d, c.now()]));
    sock.onClose(() => { closedAt = c.now(); });
    sock.write("hi");
    c.advanceTo(1);
    assert.deepEqual(serverGot, ["hi"]);
    assert.equal(clientGot[0]![0], "re:hi");
    assert.ok(Math.abs(clientGot[0]![1] - 0.1) < 1e-9);
    net.setUp(false);
    assert.throws(() => net.connect("acq", 5000), /down/);
    c.advanceTo(10);
    assert.ok(closedAt > 1);
    assert.equal(net.openSockets(), 0);
  });
});
