// pos-sim update-serial --bundle FILE --key HEX --port DEVICE [--baud 115200]: installs a
// firmware image over the board's console (USB serial), with the same checks as the network
// path (docs/update.md): the terminal verifies the HMAC and the digest, then switches and restarts.
import * as fs from "fs";
import { cliArgs, UsageError } from "../cli-args";
import { imageInfo } from "../update/image";
import { checkBundleAndKey } from "./update-server";
import { serialUpdate } from "../update/serial";
import { openSerial } from "../../tools/flash";

export const summary = "install a firmware image over the console (--bundle F --key HEX --port DEV)";

const USAGE = `usage: pos-sim update-serial --bundle <firmware.js> --key <hex> --port <device> [--baud 115200]`;
const SPEC = { bundle: { type: "string" }, key: { type: "string" }, port: { type: "string" }, baud: { type: "int", min: 300, max: 4000000 } } as const;

function check(p: { values: { bundle?: string; key?: string; port?: string } }): void {
  checkBundleAndKey(p);
  if (!p.values.port) throw new UsageError("--port <device> is required");
}

export async function run(args: string[]): Promise<number> {
  const c = cliArgs("pos-sim update-serial", args, SPEC, USAGE, { max: 0 }, check);
  if (typeof c === "number") return c;
  const v = c.values as { bundle: string; key: string; port: string; baud?: number };
  const image = fs.readFileSync(v.bundle, "latin1");
  if (!imageInfo(image)) { console.error(`pos-sim update-serial: ${v.bundle} is not a POS firmware bundle (no POSFW tag)`); return 1; }
  let link;
  try { link = await openSerial(v.port, v.baud ?? 115200); } catch (e) { console.error(`pos-sim update-serial: ${(e as Error).message}`); return 1; }
  try {
    const last = await serialUpdate(link, image, v.key, (l) => console.log(l));
    console.log(last);
    return last.startsWith("UPDATE OK") ? 0 : 1;
  } catch (e) {
    console.error(`pos-sim update-serial: ${(e as Error).message}`);
    return 1;
  } finally { link.close(); }
}
