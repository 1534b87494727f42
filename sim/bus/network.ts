// The virtual IP network behind the simulated WiFi (contract in ./types.ts). Everything is
// delivered through the virtual clock after `latency` seconds, in order. When the link goes
// down, connects fail at once, bytes written are lost, and open sockets close after
// `dropTimeout` seconds (the TCP stack noticing), on both ends.
// UDP: endpoints bound at host:port exchange datagrams (latin1 strings); a datagram sent while
// the link is down, or arriving while it is down, or for a host:port nobody bound, is lost
// without a word, as UDP is (an unknown host name too: Espruino's dgram reports nothing).
import type { Clock, UdpEndpoint, UdpHandler, VirtualNetwork, VirtualSocket } from "./types";

class SocketEnd implements VirtualSocket {
  peer!: SocketEnd;
  closed = false;
  private dataFns: ((d: string) => void)[] = [];
  private closeFns: (() => void)[] = [];
  private backlog: string[] = [];

  constructor(private net: VirtualNetworkImpl, readonly label: string) {}

  write(data: string): void {
    if (this.closed) throw new Error("socket closed");
    const s = String(data);
    this.net.stats.bytes += s.length;
    if (!this.net.up) return; // lost on a dead link
    const peer = this.peer;
    this.net.deliver(() => { if (!peer.closed) peer.receive(s); });
  }

  end(): void {
    if (this.closed) return;
    this.closeNow();
    const peer = this.peer;
    this.net.deliver(() => peer.closeNow());
  }

  onData(fn: (data: string) => void): void {
    this.dataFns.push(fn);
    const pending = this.backlog.splice(0);
    for (const d of pending) fn(d);
  }

  onClose(fn: () => void): void { this.closeFns.push(fn); if (this.closed) fn(); }

  receive(s: string): void {
    if (this.dataFns.length === 0) { this.backlog.push(s); return; }
    for (const fn of this.dataFns) fn(s);
  }

  closeNow(): void {
    if (this.closed) return;
    this.closed = true;
    this.net.forget(this);
    for (const fn of this.closeFns) fn();
  }
}

export class VirtualNetworkImpl implements VirtualNetwork {
  up = true;
  latency = 0.02;
  /** seconds after a link drop until open sockets see their close */
  dropTimeout = 2;
  stats = { connects: 0, refused: 0, bytes: 0, datagrams: 0, datagramsLost: 0 };
  private servers = new Map<string, (s: VirtualSocket) => void>();
  private udp = new Map<string, UdpHandler>();
  private nextPort = 49152;
  private open = new Set<SocketEnd>();
  private linkFns: ((up: boolean) => void)[] = [];

  constructor(private clock: Clock) {}

  listen(host: string, port: number, onConnection: (socket: VirtualSocket) => void): void {
    const key = host + ":" + port;
    if (this.servers.has(key)) throw new Error(`${key} is already listening`);
    this.servers.set(key, onConnection);
  }

  unlisten(host: string, port: number): void { this.servers.delete(host + ":" + port); }

  connect(host: string, port: number): VirtualSocket {
    this.stats.connects++;
    if (!this.up) { this.stats.refused++; throw new Error("network link is down"); }
    const server = this.servers.get(host + ":" + port);
    if (!server) { this.stats.refused++; throw new Error(`connection refused: nothing listens on ${host}:${port}`); }
    const client = new SocketEnd(this, "client");
    const remote = new SocketEnd(this, "server");
    client.peer = remote;
    remote.peer = client;
    this.open.add(client);
    this.open.add(remote);
    this.deliver(() => { if (!remote.closed) server(remote); });
    return client;
  }

  setUp(up: boolean): void {
    if (up === this.up) return;
    this.up = up;
    for (const fn of this.linkFns) fn(up);
    if (!up) {
      const victims = [...this.open];
      this.clock.after(this.dropTimeout, () => { if (!this.up) for (const s of victims) s.closeNow(); });
    }
  }

  /** a UDP endpoint at host:port (port 0: the next free ephemeral port); throws if taken */
  udpBind(host: string, port: number, onMessage: UdpHandler): UdpEndpoint {
    let p = port;
    while (!p || this.udp.has(host + ":" + p)) {
      if (port) break;
      p = this.nextPort;
      this.nextPort = this.nextPort >= 65535 ? 49152 : this.nextPort + 1;
    }
    const key = host + ":" + p;
    if (this.udp.has(key)) throw new Error(`UDP ${key} is already bound`);
    this.udp.set(key, onMessage);
    let open = true;
    return {
      address: host, port: p,
      send: (toHost, toPort, data) => { if (open) this.sendDatagram({ address: host, port: p }, toHost, toPort, data); },
      close: () => { if (open && this.udp.get(key) === onMessage) this.udp.delete(key); open = false; },
    };
  }

  /** UDP endpoints bound now */
  udpBound(): number { return this.udp.size; }

  private sendDatagram(from: { address: string; port: number }, toHost: string, toPort: number, data: string): void {
    this.stats.datagrams++;
    this.stats.bytes += data.length;
    if (!this.up) { this.stats.datagramsLost++; return; }
    this.deliver(() => {
      const to = this.udp.get(toHost + ":" + toPort);
      if (!this.up || !to) { this.stats.datagramsLost++; return; }
      to(data, { address: from.address, port: from.port });
    });
  }

  /** link state changes (the runtime's Wifi listens) */
  onLink(fn: (up: boolean) => void): () => void {
    this.linkFns.push(fn);
    return () => { const i = this.linkFns.indexOf(fn); if (i >= 0) this.linkFns.splice(i, 1); };
  }

  /** sockets still open (both ends count) */
  openSockets(): number { return this.open.size; }

  /** close every socket at once (the MCU end lost power: the peer sees a reset) */
  resetAll(filter?: (label: string) => boolean): void {
    for (const s of [...this.open]) if (!filter || filter(s.label)) { s.closeNow(); s.peer.closeNow(); }
  }

  deliver(fn: () => void): void { this.clock.after(this.latency, fn); }
  forget(s: SocketEnd): void { this.open.delete(s); }
}
