// The build resolves "@board" to the selected boards/<name>.json (validated first), as a
// function that builds the object on each call: held in RAM, the whole board is about 190
// JsVars on the twin for the terminal's life; built when read, only what a caller keeps stays.
declare module "@board" {
  import { Board } from "../boards/types";
  export default function readBoard(): Board;
}
