// Boot entry. Placeholder until the application lands: proves the bundle boots.
import board from "@board";

function main(): void {
  console.log("POS firmware on " + board.name);
}

// A module-level onInit is local inside the bundle: publish it on the root scope.
global.onInit = main;
main();
