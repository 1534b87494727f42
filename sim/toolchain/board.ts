// Board files: load, validate, and hand the build and the simulator the same description.
import * as fs from "fs";
import * as path from "path";
import { Board } from "../../boards/types";
import { BOARDS_DIR, rel } from "./paths";

export class BoardError extends Error {}

export const DEFAULT_BUDGET = 131072;

export function boardNames(): string[] {
  return fs.readdirSync(BOARDS_DIR).filter((f) => f.endsWith(".json") && f !== "esp32-cli.json").map((f) => f.slice(0, -5)).sort();
}

export function budgetOf(board: Board): number {
  const tc = (board as any).toolchain;
  return tc && typeof tc.budgetBytes === "number" ? tc.budgetBytes : DEFAULT_BUDGET;
}

export function loadBoardFile(nameOrPath: string): { board: Board; warnings: string[] } {
  const file = nameOrPath.endsWith(".json") ? path.resolve(nameOrPath) : path.join(BOARDS_DIR, nameOrPath + ".json");
  if (!fs.existsSync(file)) throw new BoardError(rel(file) + ": no such board file");
  const board = JSON.parse(fs.readFileSync(file, "utf8")) as Board;
  return { board, warnings: [] };
}

export function loadBoard(name: string): Board {
  return loadBoardFile(name).board;
}
