// The link's TLS side (firmware/host/link.ts, docs/host-protocol.md §1.5) against a scripted
// socket that behaves as Espruino's does (measured on the ESP32 twin): connect callback at
// the TCP connect, before the handshake; a handshake failure closes with error -8 "unsent
// data" while the request is still held.
import { strict as assert } from "assert";
import { createLink, LinkError, LinkErr } from "../../firmware/host/link";
import { IsoMsg } from "../../firmware/host/iso8583";

const echo = (): IsoMsg => ({ mti: "0800", f: { 3: "990000", 11: "000001", 24: "001", 41: "POS00001" } });

/** a net/tls module whose one socket is driven by the test */
function scripted() {
  const handlers: Record<string, ((x?: any) => void)[]> = {};
  const sock = {
    written: [] as string[],
    ended: false,
    write(d: string) { this.written.push(d); return true; },
    end() { this.ended = true; },
    on(ev: string, fn: (x?: any) => void) { (handlers[ev] = handlers[ev] || []).push(fn); },
  };
  const calls: any[] = [];
  let cb: ((s: any) => void) | null = null;
  const net = { connect: (opts: any, c: (s: any) => void) => { calls.push(opts); cb = c; return sock as any; } };
  const fire = (ev: string, x?: any) => { for (const fn of handlers[ev] || []) fn(x); };
  return { net, sock, calls, connected: () => cb!(sock), fire };
}

const io = { setTimeout: (_fn: () => void, _ms: number) => 1, clearTimeout: (_id: number) => {} };

function run(o: { tlsCa?: () => string | undefined; log?: (l: string) => void }, script: (s: ReturnType<typeof scripted>) => void) {
  const s = scripted();
  const link = createLink({ net: s.net as any, host: "acquirer.local", port: 5000, nii: "001", io, mac: null, ...o });
  let result: { err: LinkError | null } | null = null;
  link.exchange(echo(), 30000, (err) => { result = { err }; });
  if (s.calls.length) script(s);
  return { s, result: result as { err: LinkError | null } | null };
}

describe("host link over TLS", () => {
  it("connects with the CA from tlsCa and sends once the socket calls back", () => {
    const { s } = run({ tlsCa: () => "DER" }, (x) => x.connected());
    assert.deepEqual(s.calls, [{ host: "acquirer.local", port: 5000, ca: "DER" }]);
    assert.equal(s.sock.written.length, 1);
  });

  it("plain TCP (no tlsCa): no ca in the options", () => {
    const { s } = run({}, (x) => x.connected());
    assert.deepEqual(s.calls, [{ host: "acquirer.local", port: 5000 }]);
  });

  it("no CA provisioned: NOT_SENT without connecting", () => {
    const { s, result } = run({ tlsCa: () => undefined }, () => {});
    assert.equal(s.calls.length, 0);
    assert.deepEqual(result!.err, { code: LinkErr.NOT_SENT, message: "TLS: no CA certificate (acq-ca.der)" });
  });

  it("a handshake that fails after the request was written (error -8 unsent data): NOT_SENT, logged as TLS", () => {
    const logs: string[] = [];
    const { result } = run({ tlsCa: () => "DER", log: (l) => logs.push(l) }, (x) => {
      x.connected();
      x.fire("error", { code: -8, message: "unsent data" });
      x.fire("end");
      x.fire("close", true);
    });
    assert.deepEqual(result!.err, { code: LinkErr.NOT_SENT, message: "TLS: handshake failed" });
    assert.deepEqual(logs, ["host: TLS: handshake failed (certificate not trusted?)"]);
  });

  it("unsent data on plain TCP is NOT_SENT too (the host cannot hold a whole frame); a plain close stays DISCONNECTED", () => {
    const a = run({}, (x) => { x.connected(); x.fire("error", { code: -8, message: "unsent data" }); });
    assert.equal(a.result!.err!.code, LinkErr.NOT_SENT);
    const b = run({ tlsCa: () => "DER" }, (x) => { x.connected(); x.fire("close", false); });
    assert.equal(b.result!.err!.code, LinkErr.DISCONNECTED, "after the handshake a drop may follow a delivered request");
  });
});
