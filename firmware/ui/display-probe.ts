// Bring-up probe for the display: I2C bus scan, init, test pattern, contrast sweep, inverse
// blink. Every step reports one console line starting with "display:". Used by
// firmware/probes/display.ts (bundle probe-display.js) and tested against the virtual panel.
import type { I2CBus, Io } from "../../drivers/hal";
import { Ssd1306 } from "../../drivers/ssd1306/ssd1306";
import { useSmallFont } from "./fonts";

export interface DisplayProbeOptions {
  io: Io;
  /** I2C buses by id (board file ids) */
  buses: { [id: string]: I2CBus };
  /** the board's display part: {bus, address, width, height, reset?} */
  spec: { bus: string; address: number; width: number; height: number; reset?: number } | undefined;
  /** a Graphics in the panel's layout (createArrayBuffer(w, h, 1, {vertical_byte:true, msb:false})) */
  g: Graphics;
  log: (line: string) => void;
  /** milliseconds between contrast steps */
  stepMs?: number;
  done?: () => void;
}

function hex(n: number): string {
  return "0x" + (n < 16 ? "0" : "") + n.toString(16);
}

/** addresses 0x08..0x77 that ACK a one-byte read */
export function scanBus(bus: I2CBus): number[] {
  var found: number[] = [];
  for (var a = 0x08; a <= 0x77; a++) {
    try { bus.readFrom(a, 1); found.push(a); } catch (e) { /* no ACK */ }
  }
  return found;
}

/** border, checkerboard block, and some text: every pixel row and column is exercised */
export function drawTestPattern(g: Graphics, w: number, h: number): void {
  g.clear();
  g.setColor(1);
  g.drawRect(0, 0, w - 1, h - 1);
  for (var y = 2; y < 26; y++) for (var x = 2; x < 34; x++) if (((x >> 2) + (y >> 2)) & 1) g.setPixel(x, y);
  useSmallFont(g);
  g.drawString("SSD1306 " + w + "x" + h, 40, 4);
  g.drawString("Probe pattern", 40, 14);
  g.drawString("ABCDEFGHIJKLMNOPQRST", 4, 30);
  g.drawString("abcdefghij 012345678", 4, 40);
  g.fillRect(2, h - 12, w - 3, h - 3);
}

export function runDisplayProbe(o: DisplayProbeOptions): void {
  var log = o.log;
  for (var id in o.buses) {
    var found = scanBus(o.buses[id]!);
    var s = "";
    for (var i = 0; i < found.length; i++) s += " " + hex(found[i]!);
    log("display: i2c " + id + " scan:" + (s || " nothing answers"));
  }
  var spec = o.spec;
  if (!spec || !o.buses[spec.bus]) { log("display: no display on this board"); if (o.done) o.done(); return; }
  var oled = new Ssd1306({ i2c: o.buses[spec.bus]!, io: o.io, address: spec.address, width: spec.width, height: spec.height, reset: spec.reset });
  var step = o.stepMs || 300;
  oled.init(function (err) {
    if (err) { log("display: init FAILED at " + hex(spec!.address) + ": " + err.message); if (o.done) o.done(); return; }
    log("display: init ok at " + hex(spec!.address));
    drawTestPattern(o.g, spec!.width, spec!.height);
    var n = oled.flip(o.g);
    log(n < 0 ? "display: pattern FAILED: " + oled.fault!.message : "display: pattern sent, " + n + " bytes");
    var levels = [0, 32, 64, 96, 128, 160, 192, 224, 255, 0xcf];
    var k = 0;
    function next(): void {
      if (k < levels.length) {
        var v = levels[k++]!;
        log("display: contrast " + v + (oled.setContrast(v) ? "" : " FAILED"));
        o.io.setTimeout(next, step);
      } else if (k === levels.length) {
        k++;
        log("display: inverse" + (oled.invert(true) ? "" : " FAILED"));
        o.io.setTimeout(next, step);
      } else {
        oled.invert(false);
        log("display: probe done, " + oled.faults + " faults");
        if (o.done) o.done();
      }
    }
    next();
  });
}
