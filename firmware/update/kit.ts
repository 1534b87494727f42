// The update's pieces for the device, built together when an update or a confirmation needs
// them. The bundle then holds one module-level function for them: bootControl, updateProtocol,
// createStager and firmwareVersion are used only here, so the minifier folds them in (each
// module-level function costs about 4.7 JsVars at idle for the terminal's life).
import { FlashDevice } from "../../drivers/hal";
import { bootControl, BootControl, BootRegion } from "./bootctl";
import { updateProtocol, Protocol } from "./protocol";
import { createStager, Stager } from "./stager";
import { firmwareVersion } from "./version";
import { FORMAT } from "../journal/format";
import { fromHex } from "../app/hmac";

export interface UpdateKit { version: number; ctl: BootControl; proto: Protocol; stager: Stager; }

export function updateKit(flash: FlashDevice, region: BootRegion, keyHex: string): UpdateKit {
  var sha256 = function (s: string): string { return E.toString(require("crypto").SHA256(s)); };
  var proto = updateProtocol(sha256, E.CRC32);
  var ctl = bootControl(flash, region, E.CRC32);
  var version = firmwareVersion();
  var stager = createStager({
    storage: require("Storage"), ctl: ctl, proto: proto, sha256: sha256, crc32: E.CRC32,
    key: fromHex(keyHex), running: version, journalFormat: FORMAT,
  });
  return { version: version, ctl: ctl, proto: proto, stager: stager };
}
