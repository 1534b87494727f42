// probe-display.js: I2C scan, display init, test pattern, contrast sweep (firmware/ui/display-probe.ts).
import { bringUp } from "../board";
import { runDisplayProbe } from "../ui/display-probe";

var p = bringUp();
var spec = p.board().parts["display"] as any;
var g = Graphics.createArrayBuffer(spec ? spec.width : 128, spec ? spec.height : 64, 1, { vertical_byte: true, msb: false });
runDisplayProbe({ io: p.io, buses: p.i2c, spec: spec, g: g, log: p.log });
