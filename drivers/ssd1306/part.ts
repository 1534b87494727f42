// The display role on an SSD1306 (descriptor: part.spec.ts): a frame buffer in the panel's own
// RAM layout and a flip that waits for the driver's init (a frame drawn before that is sent
// when init completes).
import { PartDeps } from "../parts";
import { Ssd1306 } from "./ssd1306";
import type { Ssd1306Entry } from "./part.spec";

/** Graphics.createArrayBuffer, passed in by bring-up (drivers read no Espruino globals) */
export type GraphicsMaker = (width: number, height: number, bpp: number, options: GraphicsBufferOptions) => Graphics;

export function ssd1306(e: Ssd1306Entry, d: PartDeps, gfx: GraphicsMaker): { g: Graphics; flip: () => void } {
  var g = gfx(e.width, e.height, 1, { vertical_byte: true, msb: false });
  var oled = new Ssd1306({ i2c: d.i2c[e.bus]!, io: d.io, address: e.address, width: e.width, height: e.height,
    reset: e.reset, onFault: function (f) { d.log("display: " + f.message); } });
  var ready = false, pending = false;
  oled.init(function (err) {
    if (err) d.log("display: " + err.message);
    ready = true;
    if (pending) { pending = false; oled.flip(g); }
  });
  return { g: g, flip: function () { if (ready) oled.flip(g); else pending = true; } };
}
