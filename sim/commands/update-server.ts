// pos-sim update-server --bundle FILE --key HEX [--port N] [--host H]: serves a firmware image
// to terminals (MENU 0 SERVICE -> 4 UPDATE) over real TCP, with the protocol the simulator's
// in-process server speaks (docs/update.md).
import * as fs from "fs";
import { cliArgs, UsageError } from "../cli-args";
import { wrapSocket } from "../acquirer/tcp";
import { UpdateServer } from "../update/server";
import { hmacKey, imageInfo } from "../update/image";
import * as net from "net";

export const summary = "serve a firmware image to terminals (--bundle F --key HEX [--port 5001])";

const USAGE = `usage: pos-sim update-server --bundle <firmware.js> --key <hex> [--port 5001] [--host 127.0.0.1]
  --bundle  the image to offer (dist/<board>/firmware.js of the new version)
  --key     the update key provisioned in the terminals (posConfig("updateKey", ...)), 32..64 hex digits
  --port    default 5001: the terminal connects to its acquirer host, port + 1`;

const SPEC = { bundle: { type: "string" }, key: { type: "string" }, port: { type: "int", min: 1, max: 65535 }, host: { type: "string" } } as const;

/** --bundle and --key, as both update commands (server and serial) take them */
export function checkBundleAndKey(p: { values: { bundle?: string; key?: string } }): void {
  if (!p.values.bundle) throw new UsageError("--bundle <file> is required");
  if (!p.values.key) throw new UsageError("--key <hex> is required");
  try { hmacKey(p.values.key); } catch (e) { throw new UsageError((e as Error).message); }
  if (!fs.existsSync(p.values.bundle)) throw new UsageError(`cannot read ${p.values.bundle}`);
}

export async function run(args: string[]): Promise<number> {
  const c = cliArgs("pos-sim update-server", args, SPEC, USAGE, { max: 0 }, checkBundleAndKey);
  if (typeof c === "number") return c;
  const v = c.values as { bundle: string; key: string; port?: number; host?: string };
  const image = fs.readFileSync(v.bundle, "latin1");
  const info = imageInfo(image);
  if (!info) { console.error(`pos-sim update-server: ${v.bundle} is not a POS firmware bundle (no POSFW tag)`); return 1; }
  const server = new UpdateServer({ image, keyHex: v.key, log: (l) => console.log(l) });
  const port = v.port ?? 5001, host = v.host ?? "127.0.0.1";
  try {
    await new Promise<void>((resolve, reject) => {
      const srv = net.createServer((s) => { s.on("error", (e) => console.log(`socket error: ${e.message}`)); server.handle(wrapSocket(s)); });
      srv.once("error", reject);
      srv.listen(port, host, () => resolve());
    });
  } catch (e) {
    console.error(`pos-sim update-server: cannot listen on ${host}:${port}: ${(e as Error).message}`);
    return 1;
  }
  console.log(`update server: v${info.version} (journal format ${info.fmt}, ${image.length} bytes) on ${host}:${port} (Ctrl-C to stop)`);
  return await new Promise<number>((resolve) => { process.once("SIGINT", () => { resolve(0); process.exit(0); }); });
}
