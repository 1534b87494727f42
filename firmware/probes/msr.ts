// probe-msr.js: raw magstripe capture (structure, timing, masked bits) and reader statistics
// (firmware/cards/msr-probe.ts).
import { bringUp } from "../board";
import { runMsrProbe } from "../cards/msr-probe";

var p = bringUp();
runMsrProbe({ io: p.io, spec: p.board().parts["msr"], uart: function (id) { return p.uart[id]!; }, errorFlags: p.errorFlags, log: p.log });
