// The serial path (docs/update.md): the same offer, data and checks as the network path, typed
// into the console (USB) by `npx pos-sim update-serial` or any host, one call per line:
//   posUpdate("offer", "<offer hex>")        -> UPDATE OK 0 | UPDATE ERR <why>
//   posUpdate("data", <offset>, "<base64>")  -> UPDATE OK <bytes staged>
//   posUpdate("finish")                       -> UPDATE OK switched (then a restart) | UPDATE ERR <why>
// The console already gives whoever holds the cable full control of the board; the HMAC with the
// update key still decides what may be installed. main.ts publishes this very function as
// global.posUpdate (no closure: nothing more stays in RAM); it finds its own platform pieces.
import readBoard from "@board";
import { bootControl } from "./bootctl";
import { updateProtocol } from "./protocol";
import { createStager, Stager } from "./stager";
import { firmwareVersion } from "./version";
import { FORMAT_VERSION } from "../journal/format";
import { fromHex } from "../app/hmac";
import { SettingsStore } from "../app/settings";

var serialStager: Stager | null = null;

export function consoleUpdate(cmd: string, a: any, b: any): void {
  var answer = function (text: string): void { console.log("UPDATE " + text); };
  if (cmd === "offer") {
    var sha256 = function (s: string): string { return E.toString(require("crypto").SHA256(s)); };
    var proto = updateProtocol(sha256, E.CRC32);
    var o = proto.decodeOffer(fromHex(String(a)));
    if (!o) { answer("ERR bad offer"); return; }
    var board = readBoard(), flash = require("Flash");
    var settings = new SettingsStore({ flash: flash, region: board.flashRegions.settings, crc32: E.CRC32 });
    settings.load();
    serialStager = createStager({
      storage: require("Storage"), ctl: bootControl(flash, board.flashRegions.boot, E.CRC32), proto: proto,
      sha256: sha256, crc32: E.CRC32, key: fromHex(settings.values.updateKey), running: firmwareVersion(), journalFormat: FORMAT_VERSION,
    });
    var err = serialStager.offer(o);
    if (err) serialStager = null;
    answer(err ? "ERR " + err : "OK 0");
    return;
  }
  if (!serialStager) { answer("ERR no offer"); return; }
  if (cmd === "data") {
    var e2 = serialStager.chunk(Number(a), atob(String(b)));
    answer(e2 ? "ERR " + e2 : "OK " + serialStager.next());
    return;
  }
  if (cmd === "finish") {
    var e3 = serialStager.finish();
    serialStager = null;
    answer(e3 ? "ERR " + e3 : "OK switched");
    if (!e3) setTimeout(function () { E.reboot(); }, 500);
    return;
  }
  answer("ERR unknown command " + cmd);
}
