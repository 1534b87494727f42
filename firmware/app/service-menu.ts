// MENU 0 SERVICE: the terminal's own functions, beside the money ones (menu.ts). Each entry
// is one key here and one module; each asks for the role it needs before it does anything.
import { App, State, screen } from "./flow";
import { requirePin } from "./supervisor";
import { startUpdate } from "../update/menu";

/** one string in RAM, split when shown (see menu.ts PAGES) */
const ITEMS = "1 AUDIT   2 HEALTH,3 TRAINING 4 UPDATE,5 CLOCK";

export function serviceMenu(app: App, back: () => void): State {
  return {
    name: "service", timeout: 30,
    screen: function () { return screen("SERVICE", ITEMS.split(","), "CANCEL=exit"); },
    key: function (k) {
      if (k === "CANCEL") back();
      else if (k === "4") requirePin(app, "to UPDATE", function () { startUpdate(app, back); }, back);
    },
  };
}
