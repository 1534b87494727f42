// The build resolves "@board" to the selected boards/<name>.json (validated first).
declare module "@board" {
  import { Board } from "../boards/types";
  const board: Board;
  export default board;
}
