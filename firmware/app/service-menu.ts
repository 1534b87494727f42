// MENU 0 SERVICE: the terminal's own functions, beside the money ones (menu.ts). Each entry
// is one key here and one module; each asks for the role it needs before it does anything.
import { App, State, screen } from "./flow";
import { healthMenu } from "../health/menu";
import { trainingMenu } from "./training";
import { auditMenu } from "../audit/menu";
import { clockMenu } from "./clock-menu";
import { startUpdate } from "../update/menu";
import { requireRole } from "./supervisor";
import { Role } from "./pin";

/** one string in RAM, split when shown (see menu.ts PAGES) */
const ITEMS = "1 AUDIT   2 HEALTH,3 TRAINING 4 UPDATE,5 CLOCK";

export function serviceMenu(app: App, back: () => void): State {
  return {
    name: "service", timeout: 30,
    screen: function () { return screen("SERVICE", ITEMS.split(","), "CANCEL=exit"); },
    key: function (k) {
      if (k === "CANCEL") back();
      else if (k === "2") healthMenu(app, function () { app.go(serviceMenu(app, back)); });
      else if (k === "3") trainingMenu(app, function () { app.go(serviceMenu(app, back)); });
      else if (k === "1") auditMenu(app, function () { app.go(serviceMenu(app, back)); });
      else if (k === "5") app.go(clockMenu(app, function () { app.go(serviceMenu(app, back)); }));
      else if (k === "4") requireRole(app, Role.Technician, "to UPDATE", function () { startUpdate(app, back); }, back);
    },
  };
}
