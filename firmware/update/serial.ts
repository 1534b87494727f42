// The serial path (docs/update.md): the same offer, data and checks as the network path, typed
// into the console (USB) by `npx pos-sim update-serial` or any host, one call per line:
//   posUpdate("offer", "<offer hex>")        -> UPDATE OK 0 | UPDATE ERR <why>
//   posUpdate("data", <offset>, "<base64>")  -> UPDATE OK <bytes staged>
//   posUpdate("finish")                       -> UPDATE OK switched (then a restart) | UPDATE ERR <why>
// The console already gives whoever holds the cable full control of the board; the HMAC with the
// update key still decides what may be installed.
import { FlashDevice } from "../../drivers/hal";
import { Board } from "../../boards/types";
import { bootControl } from "./bootctl";
import { updateProtocol } from "./protocol";
import { createStager, Stager } from "./stager";
import { firmwareVersion } from "./version";
import { FORMAT_VERSION } from "../journal/format";
import { fromHex } from "../app/hmac";

var serialStager: Stager | null = null;

export function consoleUpdate(p: { flash: FlashDevice; board: () => Board; sha256: (s: string) => string }, keyHex: string,
  cmd: string, a: any, b: any): string {
  var proto = updateProtocol(p.sha256, E.CRC32);
  if (cmd === "offer") {
    var o = proto.decodeOffer(fromHex(String(a)));
    if (!o) return "UPDATE ERR bad offer";
    serialStager = createStager({
      storage: require("Storage"), ctl: bootControl(p.flash, p.board().flashRegions.boot, E.CRC32), proto: proto,
      sha256: p.sha256, crc32: E.CRC32, key: fromHex(keyHex), running: firmwareVersion(), journalFormat: FORMAT_VERSION,
    });
    var err = serialStager.offer(o);
    if (err) { serialStager = null; return "UPDATE ERR " + err; }
    return "UPDATE OK 0";
  }
  if (!serialStager) return "UPDATE ERR no offer";
  if (cmd === "data") {
    var e2 = serialStager.chunk(Number(a), atob(String(b)));
    return e2 ? "UPDATE ERR " + e2 : "UPDATE OK " + serialStager.next();
  }
  if (cmd === "finish") {
    var e3 = serialStager.finish();
    serialStager = null;
    if (e3) return "UPDATE ERR " + e3;
    setTimeout(function () { E.reboot(); }, 500);
    return "UPDATE OK switched";
  }
  return "UPDATE ERR unknown command " + cmd;
}
