// The build resolves "@board" to the selected boards/<name>.json (validated first), as a
// function that builds the object on each call: held in RAM, the whole board is about 190
// JsVars on the twin for the terminal's life; built when read, only what a caller keeps stays.
declare module "@board" {
  import { Board } from "../boards/types";
  export default function readBoard(): Board;
}

// The build resolves "@parts" for the selected board (tools/bundle.ts partsModule): each role
// bound to the factory of the board's part type in that role (drivers/<folder>/part.ts, named
// by the type's descriptor part.spec.ts), or undefined when the board has no part in it. The
// entry a factory gets was checked against its descriptor by the build. The roles' contracts
// are in firmware/parts.ts.
declare module "@parts" {
  import { DisplayFactory, KeypadFactory, PrinterFactory, MsrFactory, NfcFactory } from "./parts";
  export var display: DisplayFactory | undefined;
  export var keypad: KeypadFactory | undefined;
  export var printer: PrinterFactory | undefined;
  export var msr: MsrFactory | undefined;
  export var nfc: NfcFactory | undefined;
}
