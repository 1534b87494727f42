// TEST ONLY certificates for the acquirer simulator's TLS (docs/host-protocol.md §1.5):
//   npx tsx tools/make-test-certs.ts [--out sim/acquirer/test-certs]
// Writes, with openssl (must be on PATH):
//   ca.pem / ca.der                the test CA (what a simulated terminal trusts)
//   server.pem / server.key        the acquirer simulator's certificate, signed by that CA
//   rogue-ca.pem, rogue-server.pem / rogue-server.key
//                                  another CA and a server certificate it signed, for the
//                                  "certificate not trusted" tests
// RSA 2048 with SHA-256 and plain RSA key exchange in mind: Espruino's mbedTLS build
// (2v29, libs/crypto/mbedtls/config.h) has MBEDTLS_KEY_EXCHANGE_RSA_ENABLED only, no ECDHE.
// Valid 2000-2100, so CI never breaks on an expiry. The private keys are public (they are
// committed): never use any of these outside tests.
import { execFileSync } from "child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { join, resolve } from "path";
import { tmpdir } from "os";

// from 2000 (a terminal whose clock is not set yet still sees a valid certificate) to 2100
const START = "20000101000000Z", END = "21000101000000Z";

const CONFIG = `[ca]
default_ca = d
[d]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = p
unique_subject = no
[p]
organizationName = supplied
commonName = supplied
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[v3_srv]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:acquirer.local,DNS:localhost,IP:127.0.0.1
authorityKeyIdentifier = keyid
`;

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

/** a self-signed CA and a server certificate for acquirer.local it signs, prefix p, in dir */
function makeSet(dir: string, p: string, caName: string): void {
  writeFileSync(join(dir, "ca.cnf"), CONFIG);
  writeFileSync(join(dir, "index.txt"), "");
  writeFileSync(join(dir, "serial"), p ? "2001\n" : "1001\n");
  const sign = (csr: string, out: string, ext: string, extra: string[]) => openssl(["ca", "-batch", "-notext", "-config", "ca.cnf",
    "-keyfile", `${p}ca.key`, "-startdate", START, "-enddate", END, "-extensions", ext, "-in", csr, "-out", out, ...extra], dir);
  openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", `/O=POS firmware TEST ONLY/CN=${caName}`,
    "-keyout", `${p}ca.key`, "-out", `${p}ca.csr`], dir);
  sign(`${p}ca.csr`, `${p}ca.pem`, "v3_ca", ["-selfsign"]);
  openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/O=POS firmware TEST ONLY/CN=acquirer.local",
    "-keyout", `${p}server.key`, "-out", `${p}server.csr`], dir);
  sign(`${p}server.csr`, `${p}server.pem`, "v3_srv", ["-cert", `${p}ca.pem`]);
}

export function makeTestCerts(out: string): string[] {
  const work = mkdtempSync(join(tmpdir(), "pos-certs-"));
  try {
    makeSet(work, "", "POS TEST CA (TEST ONLY)");
    makeSet(work, "rogue-", "ROGUE CA (TEST ONLY)");
    openssl(["x509", "-in", "ca.pem", "-outform", "DER", "-out", "ca.der"], work);
    mkdirSync(out, { recursive: true });
    const files = ["ca.pem", "ca.der", "server.pem", "server.key", "rogue-ca.pem", "rogue-server.pem", "rogue-server.key"];
    for (const f of files) writeFileSync(join(out, f), readFileSync(join(work, f)));
    return files;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const i = process.argv.indexOf("--out");
  const out = resolve(i > 0 ? process.argv[i + 1]! : "sim/acquirer/test-certs");
  try {
    const files = makeTestCerts(out);
    console.log(`TEST ONLY certificates in ${out}: ${files.join(" ")}`);
  } catch (e) {
    console.error(`make-test-certs: ${(e as Error).message.split("\n")[0]} (is openssl installed?)`);
    process.exit(1);
  }
}
