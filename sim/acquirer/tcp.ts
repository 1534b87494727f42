// Real TCP for the acquirer simulator (people with real boards): a node net.Server (or, with
// credentials, a tls.Server: real TLS 1.2) whose sockets are adapted to the VirtualSocket shape
// Acquirer.handle() serves.
import * as net from "net";
import * as tls from "tls";
import type { TlsCredentials } from "../bus/tls";
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

/** Listens on host:port (loopback by default); resolves once listening. With `creds`, TLS
 *  (1.2 and up; Espruino's mbedTLS does RSA key exchange, which Node's defaults accept). */
export function serveTcp(acq: Acquirer, port: number, host = "127.0.0.1", log: (l: string) => void = () => {},
  creds?: TlsCredentials): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const onSocket = (s: net.Socket) => {
      log(`connection from ${s.remoteAddress}:${s.remotePort}${creds ? " (TLS)" : ""}`);
      s.on("error", (e) => log(`socket error: ${e.message}`));
      acq.handle(wrapSocket(s));
    };
    const server = creds ? tls.createServer({ cert: creds.cert, key: creds.key, minVersion: "TLSv1.2" }, onSocket) : net.createServer(onSocket);
    if (creds) server.on("tlsClientError", (e) => log(`TLS handshake failed: ${e.message}`));
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}
