// probe-keypad.js: matrix test with raw row/column hits and stuck keys (firmware/ui/keypad-probe.ts).
import { bringUp } from "../board";
import { runKeypadProbe } from "../ui/keypad-probe";

var p = bringUp();
runKeypadProbe({ io: p.io, spec: p.board().parts["keypad"] as any, log: p.log });
