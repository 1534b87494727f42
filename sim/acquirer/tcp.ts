// Real TCP for the acquirer simulator (people with real boards): a node net.Server whose
// sockets are adapted to the VirtualSocket shape Acquirer.handle() serves.
import * as net from "net";
import type { VirtualSocket } from "../bus/types";
import type { Acquirer } from "./acquirer";

export function wrapSocket(s: net.Socket): VirtualSocket {
  return {
    write: (data: string) => { if (!s.destroyed) s.write(Buffer.from(data, "latin1")); },
    end: () => { s.end(); },
    onData: (fn) => { s.on("data", (b: Buffer) => fn(b.toString("latin1"))); },
    onClose: (fn) => { s.on("close", () => fn()); },
  };
}

/** Listens on host:port (loopback by default); resolves once listening. */
export function serveTcp(acq: Acquirer, port: number, host = "127.0.0.1", log: (l: string) => void = () => {}): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((s) => {
      log(`connection from ${s.remoteAddress}:${s.remotePort}`);
      s.on("error", (e) => log(`socket error: ${e.message}`));
      acq.handle(wrapSocket(s));
    });
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}
