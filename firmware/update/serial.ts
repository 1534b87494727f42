// The serial path (docs/update.md): the same offer, data and checks as the network path, typed
// into the console (USB) by `npx pos-sim update-serial` or any host, one call per line:
//   posUpdate("offer", "<offer hex>")        -> UPDATE OK 0 | UPDATE ERR <why>
//   posUpdate("data", <offset>, "<base64>")  -> UPDATE OK <bytes staged>
//   posUpdate("finish")                       -> UPDATE OK switched (then a restart) | UPDATE ERR <why>
// The console already gives whoever holds the cable full control of the board; the HMAC with the
// update key still decides what may be installed. main.ts publishes this very function as
// global.posUpdate (no closure: nothing more stays in RAM); it finds its own platform pieces.
import readBoard from "@board";
import { Stager } from "./stager";
import { updateKit } from "./kit";
import { SettingsStore } from "../app/settings";
import { fromHex } from "../app/hmac";

var serialStager: Stager | null = null;

export function consoleUpdate(cmd: string, a: any, b: any): void {
  var answer = function (text: string): void { console.log("UPDATE " + text); };
  if (cmd === "offer") {
    var board = readBoard(), flash = require("Flash");
    var settings = new SettingsStore({ flash: flash, region: board.flashRegions.settings, crc32: E.CRC32 });
    settings.load();
    var kit = updateKit(flash, board.flashRegions.boot, settings.values.updateKey);
    var o = kit.proto.decodeOffer(fromHex(String(a)));
    if (!o) { answer("ERR bad offer"); return; }
    serialStager = kit.stager;
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
