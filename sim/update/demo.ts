// `make sim`: an update server on the virtual network offering the running bundle as the next
// version (its tag's version + 1), signed with the firmware's TEST-ONLY default update key, so
// MENU 0 SERVICE, 4 UPDATE can be tried at once (docs/update.md).
import * as fs from "fs";
import type { World } from "../harness";
import { UpdateServer } from "./server";
import { imageInfo, withVersion, TEST_UPDATE_KEY } from "./image";
import { ACQUIRER_HOST, ACQUIRER_PORT } from "../scenario/target-sim";

export function attachDemoUpdate(world: World): UpdateServer | null {
  let src: string;
  try { src = fs.readFileSync(world.bundlePath, "latin1"); } catch { return null; }
  const info = imageInfo(src);
  if (!info) return null;
  const server = new UpdateServer({ image: withVersion(src, info.version + 1), keyHex: TEST_UPDATE_KEY, log: (l) => world.log.push("[update-server] " + l) });
  server.attach(world.net, ACQUIRER_HOST, ACQUIRER_PORT + 1);
  return server;
}
