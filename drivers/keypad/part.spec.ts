// The key matrix as a board part (drivers/parts.ts): rows driven low one at a time, columns
// watched with pull-ups, key names by row and column.
import { part, EntryOf } from "../parts";

/** the key names the firmware knows (firmware/app/ports.ts) */
export const KEY_NAMES = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "00", "CANCEL", "CLEAR", "ENTER", "FUNC", "MENU"];

export const KEYPAD_MATRIX = part({
  type: "keypad-matrix", role: "keypad", what: "row/column key matrix (4x4)", factory: "keypadMatrix",
  fields: {
    rows: { kind: "pins", dir: "out", what: "keypad row" },
    cols: { kind: "pins", dir: "in", what: "keypad column" },
    keys: { kind: "grid", rows: "rows", cols: "cols", names: KEY_NAMES },
  },
});
export type KeypadEntry = EntryOf<typeof KEYPAD_MATRIX>;

export const parts = [KEYPAD_MATRIX];
