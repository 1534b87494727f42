// TLS on the virtual network, as a model. The world's clock is virtual and runs synchronously,
// so node:tls (asynchronous streams) cannot run on it. What matters to the firmware is who is
// trusted and when a connection fails, so the model keeps that real and drops the cipher:
//   client -> HELLO (32-byte nonce)
//   server -> CERT  (its certificate, DER, and an RSA-SHA256 signature of the nonce: proof it
//                    holds the certificate's key)
//   client checks the signature, and (when verifying) the certificate against its CA with
//   node's X509Certificate: issued and signed by the CA, within its dates; then FINISHED, or
//   ALERT and close
//   both   -> DATA  (application bytes, in clear on the virtual wire)
// Records: type (1 byte) + length (2 bytes, big-endian) + payload, as 8-bit strings.
// The real TCP acquirer (`pos-sim acquirer --tls`, sim/acquirer/tcp.ts) speaks real TLS.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { VirtualSocket } from "./types";

export const enum Rec { HELLO = 0x48, CERT = 0x43, FINISHED = 0x46, DATA = 0x44, ALERT = 0x41 }

export interface TlsCredentials { /** PEM */ cert: string; /** PEM */ key: string; }

/** TEST ONLY certificates (sim/acquirer/test-certs/README.md) */
export const TEST_CERTS_DIR = path.resolve(__dirname, "../acquirer/test-certs");
export function testCert(name: string): Buffer { return fs.readFileSync(path.join(TEST_CERTS_DIR, name)); }
/** the acquirer simulator's default credentials (TEST ONLY) */
export function testServerCredentials(prefix = ""): TlsCredentials {
  return { cert: testCert(prefix + "server.pem").toString(), key: testCert(prefix + "server.key").toString() };
}

export function record(type: Rec, payload: string): string {
  return String.fromCharCode(type, (payload.length >> 8) & 255, payload.length & 255) + payload;
}

/** splits a byte stream into records, whatever the chunking */
export class RecordReader {
  private buf = "";
  constructor(private onRecord: (type: number, payload: string) => void) {}
  push(d: string): void {
    this.buf += d;
    while (this.buf.length >= 3) {
      const len = (this.buf.charCodeAt(1) << 8) | this.buf.charCodeAt(2);
      if (this.buf.length < 3 + len) return;
      const type = this.buf.charCodeAt(0), payload = this.buf.slice(3, 3 + len);
      this.buf = this.buf.slice(3 + len);
      this.onRecord(type, payload);
    }
  }
}

const bin = (s: string) => Buffer.from(s, "latin1");
const str = (b: Buffer) => b.toString("latin1");

/** The server end: a VirtualSocket carrying the application bytes once the client accepted the
 *  certificate. `log` hears why a handshake failed. */
export function tlsServerSocket(raw: VirtualSocket, creds: TlsCredentials, log: (line: string) => void = () => {}): VirtualSocket {
  const der = new crypto.X509Certificate(creds.cert).raw;
  const key = crypto.createPrivateKey(creds.key);
  let secure = false;
  const dataFns: ((d: string) => void)[] = [];
  const backlog: string[] = [];
  const reader = new RecordReader((type, payload) => {
    if (type === Rec.HELLO && !secure) {
      const sig = crypto.sign("sha256", bin(payload), key);
      raw.write(record(Rec.CERT, String.fromCharCode(der.length >> 8, der.length & 255) + str(der) + str(sig)));
    } else if (type === Rec.FINISHED) {
      secure = true;
    } else if (type === Rec.ALERT) {
      log(`TLS: the client refused the handshake: ${payload}`);
      raw.end();
    } else if (type === Rec.DATA && secure) {
      if (dataFns.length === 0) backlog.push(payload);
      for (const fn of dataFns) fn(payload);
    } else {
      log(`TLS: unexpected record 0x${type.toString(16)} ${secure ? "after" : "before"} the handshake: closing`);
      raw.end();
    }
  });
  raw.onData((d) => reader.push(d));
  return {
    write: (data: string) => raw.write(record(Rec.DATA, String(data))),
    end: () => raw.end(),
    onData: (fn) => { dataFns.push(fn); for (const d of backlog.splice(0)) fn(d); },
    onClose: (fn) => raw.onClose(fn),
  };
}

/** What the client makes of the server's CERT record: null when trusted, else why not.
 *  verify false: the certificate chain is not checked (Espruino 2v29's tls, which loads `ca`
 *  and never verifies against it: docs/host-protocol.md §1.5), only the key possession. */
export function checkServer(payload: string, nonce: Buffer, ca: crypto.X509Certificate | null, verify: boolean): string | null {
  const len = (payload.charCodeAt(0) << 8) | payload.charCodeAt(1);
  let cert: crypto.X509Certificate;
  try { cert = new crypto.X509Certificate(bin(payload.slice(2, 2 + len))); } catch { return "unparsable server certificate"; }
  if (!crypto.verify("sha256", nonce, cert.publicKey, bin(payload.slice(2 + len)))) return "the server does not hold its certificate's key";
  if (!verify) return null;
  if (!ca) return "no CA certificate to verify against";
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return "certificate not trusted";
  const now = Date.now();
  if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) return "certificate expired or not yet valid";
  return null;
}

/** The CA as Espruino's mbedTLS takes it: DER, or PEM only with a trailing NUL (mbedtls_x509_crt_parse
 *  reads PEM from a NUL-terminated buffer). Throws the interpreter's message otherwise. */
export function parseCa(ca: string): crypto.X509Certificate {
  const pem = ca.startsWith("-----BEGIN");
  if (pem && !ca.endsWith("\0")) throw new Error("HTTPS init failed! mbedtls_x509_crt_parse of 'ca': PEM without a trailing NUL (give DER)");
  try { return new crypto.X509Certificate(pem ? ca.slice(0, -1) : bin(ca)); } catch {
    throw new Error("HTTPS init failed! mbedtls_x509_crt_parse of 'ca': X509 - The CRT/CRL/CSR format is invalid");
  }
}
