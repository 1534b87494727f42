// Board files: load and validate boards/<name>.json against boards/types.ts and the ESP32's
// pin and flash rules, for the build (embedded as "@board") and the simulator (loadBoard).
// Every error names the board file and the field. Parts are checked against their type's
// descriptor (drivers/<folder>/part.spec.ts, found by tools/parts.ts): no list of types here.
import * as fs from "fs";
import * as path from "path";
import { Board } from "../boards/types";
import { ROLES } from "../drivers/parts";
import { BOARDS_DIR, rel } from "./paths";
import { knownParts, partOfType, partTypes } from "./parts";

export class BoardError extends Error {
  constructor(public readonly file: string, public readonly errors: string[]) {
    super(errors.length === 1 ? errors[0]! : rel(file) + ": " + errors.length + " problems:\n  " + errors.join("\n  "));
  }
}

/** Bundle size budget when the board file sets none (see docs/toolchain.md for why). */
export const DEFAULT_BUDGET = 163840;

/** Optional toolchain settings a board file may carry next to boards/types.ts's fields. */
export interface ToolchainSettings { budgetBytes?: number; allowStrappingPins?: number[] }

const GPIOS = new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 23, 25, 26, 27, 32, 33, 34, 35, 36, 37, 38, 39]);
const FLASH_PINS = new Set([6, 7, 8, 9, 10, 11]);
const STRAPPING = new Set([0, 2, 5, 12, 15]);
const INPUT_ONLY = (p: number): boolean => p >= 34 && p <= 39;
const ESP32_SECTOR = 4096;

type Dir = "out" | "in" | "bus";
interface PinUse { pin: number; field: string; dir: Dir; what: string }

class Checker {
  errors: string[] = [];
  warnings: string[] = [];
  pins: PinUse[] = [];
  constructor(private file: string) {}

  err(field: string, msg: string): void { this.errors.push(rel(this.file) + ": " + field + ": " + msg); }
  warn(field: string, msg: string): void { this.warnings.push(rel(this.file) + ": " + field + ": " + msg); }

  obj(v: unknown, field: string): v is Record<string, any> {
    if (v && typeof v === "object" && !Array.isArray(v)) return true;
    this.err(field, v === undefined ? "missing" : "must be an object");
    return false;
  }
  int(v: unknown, field: string, min = 0): v is number {
    if (typeof v === "number" && Number.isInteger(v) && v >= min) return true;
    this.err(field, v === undefined ? "missing" : "must be an integer >= " + min + ", got " + JSON.stringify(v));
    return false;
  }
  text(v: unknown, field: string): v is string {
    if (typeof v === "string" && v.length > 0) return true;
    this.err(field, v === undefined ? "missing" : "must be a non-empty string");
    return false;
  }
  only(o: Record<string, any>, field: string, allowed: string[]): void {
    for (const k of Object.keys(o)) if (allowed.indexOf(k) < 0) this.err(field + "." + k, "unknown field (allowed: " + allowed.join(", ") + ")");
  }
  pin(v: unknown, field: string, dir: Dir, what: string): void {
    if (!this.int(v, field)) return;
    if (!GPIOS.has(v)) { this.err(field, "GPIO " + v + " does not exist on the ESP32"); return; }
    this.pins.push({ pin: v, field, dir, what });
  }
}

function checkPartitions(c: Checker, b: Record<string, any>): void {
  if (!c.obj(b.partitions, "partitions")) return;
  c.only(b.partitions, "partitions", ["free", "flash", "storage"]);
  const flashSize = typeof b.mcu?.flashSize === "number" ? b.mcu.flashSize : Infinity;
  const parts: [string, any][] = [];
  for (const name of ["free", "flash", "storage"]) {
    const p = b.partitions[name];
    if (p === undefined && name === "free") continue;
    const f = "partitions." + name;
    if (!c.obj(p, f)) continue;
    c.only(p, f, ["base", "size"]);
    if (!c.int(p.base, f + ".base") || !c.int(p.size, f + ".size", 1)) continue;
    if (p.base % ESP32_SECTOR || p.size % ESP32_SECTOR) c.err(f, "must start and end on a 4096-byte sector boundary");
    if (p.base + p.size > flashSize) c.err(f, "ends at 0x" + (p.base + p.size).toString(16) + ", past the " + flashSize + "-byte flash");
    parts.push([name, p]);
  }
  for (let i = 0; i < parts.length; i++) {
    for (let j = i + 1; j < parts.length; j++) {
      const [an, a] = parts[i]!, [bn, bb] = parts[j]!;
      if (a.base < bb.base + bb.size && bb.base < a.base + a.size) c.err("partitions." + bn, "overlaps partitions." + an);
    }
  }
}

function checkRegions(c: Checker, b: Record<string, any>): void {
  if (!c.obj(b.flashRegions, "flashRegions")) return;
  for (const need of ["journal", "audit", "health", "boot", "settings"]) if (!(need in b.flashRegions)) c.err("flashRegions." + need, "missing");
  const raw: [string, any][] = [];
  const parts = b.partitions || {};
  for (const name of ["free", "flash"]) if (parts[name] && typeof parts[name].base === "number") raw.push([name, parts[name]]);
  const storage = parts.storage;
  const regions: [string, number, number][] = [];
  for (const name of Object.keys(b.flashRegions)) {
    const r = b.flashRegions[name];
    const f = "flashRegions." + name;
    if (!c.obj(r, f)) continue;
    c.only(r, f, ["base", "sectors", "sectorSize"]);
    if (!c.int(r.base, f + ".base") || !c.int(r.sectors, f + ".sectors", 1) || !c.int(r.sectorSize, f + ".sectorSize", 1)) continue;
    if (r.sectorSize % ESP32_SECTOR) c.err(f + ".sectorSize", "must be a multiple of the ESP32's 4096-byte erase sector, got " + r.sectorSize);
    if (r.base % ESP32_SECTOR) c.err(f + ".base", "0x" + r.base.toString(16) + " is not aligned to a 4096-byte sector");
    const end = r.base + r.sectors * r.sectorSize;
    const hex = "0x" + r.base.toString(16) + "..0x" + end.toString(16);
    if (storage && typeof storage.base === "number" && r.base < storage.base + storage.size && storage.base < end) {
      c.err(f, hex + " overlaps the Storage partition (boot code): Storage would be corrupted and erased at boot");
    } else if (!raw.some(([, p]) => r.base >= p.base && end <= p.base + p.size)) {
      c.err(f, hex + " is not inside a raw partition (" + raw.map(([n, p]) => n + " 0x" + p.base.toString(16) + "+" + p.size).join(", ") + ")");
    }
    for (const [on, ob, oe] of regions) if (r.base < oe && ob < end) c.err(f, "overlaps flashRegions." + on);
    regions.push([name, r.base, end]);
  }
}

function checkBuses(c: Checker, b: Record<string, any>): void {
  if (!c.obj(b.buses, "buses")) return;
  const hwUsed = new Map<string, string>();
  for (const id of Object.keys(b.buses)) {
    const bus = b.buses[id];
    const f = "buses." + id;
    if (!c.obj(bus, f)) continue;
    if (bus.kind === "i2c") {
      c.only(bus, f, ["kind", "hw", "scl", "sda", "bitrate"]);
      if (bus.hw !== "I2C1" && bus.hw !== "I2C2") c.err(f + ".hw", "must be I2C1 or I2C2");
      c.pin(bus.scl, f + ".scl", "bus", "I2C SCL");
      c.pin(bus.sda, f + ".sda", "bus", "I2C SDA");
      if (c.int(bus.bitrate, f + ".bitrate", 1) && bus.bitrate > 1000000) c.err(f + ".bitrate", "above 1 MHz");
    } else if (bus.kind === "uart") {
      c.only(bus, f, ["kind", "hw", "tx", "rx", "baud"]);
      if (bus.hw !== "Serial2" && bus.hw !== "Serial3") c.err(f + ".hw", "must be Serial2 or Serial3 (Serial1 is the console)");
      c.pin(bus.tx, f + ".tx", "out", "UART TX");
      c.pin(bus.rx, f + ".rx", "in", "UART RX");
      c.int(bus.baud, f + ".baud", 300);
    } else {
      c.err(f + ".kind", "must be \"i2c\" or \"uart\", got " + JSON.stringify(bus.kind));
      continue;
    }
    if (typeof bus.hw === "string") {
      if (hwUsed.has(bus.hw)) c.err(f + ".hw", bus.hw + " is already used by buses." + hwUsed.get(bus.hw));
      else hwUsed.set(bus.hw, id);
    }
  }
}

/** Every part against its type's descriptor (drivers/<folder>/part.spec.ts): the role it may
 *  fill, its fields and their checks; buses, I2C addresses and pins are shared across parts. */
function checkParts(c: Checker, b: Record<string, any>): void {
  if (!c.obj(b.parts, "parts")) return;
  const i2cAddrs = new Map<string, string>();
  const uartUsers = new Map<string, string>();
  for (const role of Object.keys(b.parts)) {
    const p = b.parts[role];
    const f = "parts." + role;
    if (!c.obj(p, f)) continue;
    if ((ROLES as readonly string[]).indexOf(role) < 0) { c.err(f, "unknown role (roles: " + ROLES.join(", ") + ")"); continue; }
    const spec = partOfType(p.type);
    if (!spec) {
      c.err(f + ".type", "unknown part type " + JSON.stringify(p.type) + " (known: " + partTypes().join(", ") + ")");
      continue;
    }
    if (spec.role !== role) {
      c.err(f + ".type", "\"" + p.type + "\" is a " + spec.role + " (" + spec.what + "), not a " + role + " (" +
        role + " types: " + knownParts().filter((k) => k.role === role).map((k) => k.type).join(", ") + ")");
      continue;
    }
    c.only(p, f, ["type"].concat(Object.keys(spec.fields)));
    const bus = typeof p.bus === "string" && b.buses && b.buses[p.bus] && typeof b.buses[p.bus] === "object" ? b.buses[p.bus] : null;
    for (const name of Object.keys(spec.fields)) {
      const field = spec.fields[name]!;
      const v = p[name];
      const ff = f + "." + name;
      if (v === undefined && "optional" in field && field.optional) continue;
      switch (field.kind) {
        case "bus":
          if (!c.text(v, ff)) break;
          if (!bus) c.err(ff, "no bus named \"" + v + "\" in buses");
          else if (field.of.indexOf(bus.kind) < 0) c.err(ff, "\"" + v + "\" is a " + bus.kind + " bus, this part needs " + field.of.join(" or "));
          else if (bus.kind === "uart") {
            if (uartUsers.has(v)) c.err(ff, "UART " + v + " is already used by parts." + uartUsers.get(v));
            else uartUsers.set(v, role);
          }
          break;
        case "address": {
          const addr = v === undefined ? field.default : v;
          if (!c.int(addr, ff)) break;
          if (addr > 0x7f) { c.err(ff, "must be a 7-bit I2C address (0..127), got " + addr); break; }
          if (!bus || bus.kind !== "i2c") break;
          const key = p.bus + "@" + addr;
          if (i2cAddrs.has(key)) c.err(ff, "I2C address 0x" + addr.toString(16) + " on " + p.bus + " is already used by parts." + i2cAddrs.get(key));
          else i2cAddrs.set(key, role);
          break;
        }
        case "pin":
          c.pin(v, ff, field.dir, field.what);
          break;
        case "pins":
          if (!Array.isArray(v) || !v.length) { c.err(ff, "must be a non-empty list of pins"); break; }
          v.forEach((pin: unknown, i: number) => c.pin(pin, ff + "[" + i + "]", field.dir, field.what));
          break;
        case "int":
          if (!c.int(v, ff, field.min)) break;
          if (field.max !== undefined && v > field.max) c.err(ff, "must be at most " + field.max + ", got " + v);
          if (field.step && v % field.step) c.err(ff, "must be a multiple of " + field.step + (field.why ? " (" + field.why + ")" : ""));
          break;
        case "positive":
          if (typeof v !== "number" || !(v > 0) || !isFinite(v)) c.err(ff, v === undefined ? "missing" : "must be a positive number");
          break;
        case "list":
          if (!Array.isArray(v) || !v.length || v.some((t: unknown) => field.of.indexOf(t as number) < 0)) c.err(ff, "must be a non-empty list of " + field.what);
          break;
        case "grid":
          checkGrid(c, v, ff, Array.isArray(p[field.rows]) ? p[field.rows].length : 0, Array.isArray(p[field.cols]) ? p[field.cols].length : 0,
            field.rows, field.cols, field.names);
          break;
      }
    }
  }
}

/** keys[row][col]: one row per pin of `rows`, one name per pin of `cols`, each name once */
function checkGrid(c: Checker, v: unknown, f: string, rows: number, cols: number, rowsField: string, colsField: string, names: readonly string[]): void {
  if (!Array.isArray(v) || v.length !== rows) {
    c.err(f, "must have one row per entry of " + rowsField + " (" + rows + ")");
    return;
  }
  const seen = new Set<string>();
  v.forEach((row: unknown, r: number) => {
    if (!Array.isArray(row) || row.length !== cols) { c.err(f + "[" + r + "]", "must have one key per entry of " + colsField + " (" + cols + ")"); return; }
    row.forEach((k: unknown, i: number) => {
      const kf = f + "[" + r + "][" + i + "]";
      if (typeof k !== "string" || names.indexOf(k) < 0) c.err(kf, "unknown key " + JSON.stringify(k) + " (known: " + names.join(" ") + ")");
      else if (seen.has(k)) c.err(kf, "key " + k + " appears twice");
      else seen.add(k);
    });
  });
}

function checkPins(c: Checker, b: Record<string, any>, allowStrapping: Set<number>): void {
  const reserved = b.reserved || {};
  if (b.reserved !== undefined && c.obj(b.reserved, "reserved")) {
    for (const k of Object.keys(reserved)) {
      const n = Number(k);
      if (!/^\d+$/.test(k) || !GPIOS.has(n)) c.err("reserved." + k, "not an ESP32 GPIO number");
      else if (typeof reserved[k] !== "string") c.err("reserved." + k, "must be a description string");
    }
  }
  // A bus's pins are shared by its parts; anything else used twice is a wiring conflict.
  const owner = new Map<number, PinUse>();
  for (const k of Object.keys(reserved)) {
    if (/^\d+$/.test(k)) owner.set(Number(k), { pin: Number(k), field: "reserved." + k, dir: "in", what: String(reserved[k]) });
  }
  for (const u of c.pins) {
    const prev = owner.get(u.pin);
    if (prev) c.err(u.field, "GPIO " + u.pin + " is already used by " + prev.field + " (" + prev.what + ")");
    else owner.set(u.pin, u);
    if (FLASH_PINS.has(u.pin)) c.err(u.field, "GPIO " + u.pin + " is wired to the module's SPI flash (GPIO 6-11): never use it");
    else if (INPUT_ONLY(u.pin) && u.dir !== "in") c.err(u.field, "GPIO " + u.pin + " is input-only (34-39) and cannot be a " + u.what);
    else if (INPUT_ONLY(u.pin)) c.warn(u.field, "GPIO " + u.pin + " (" + u.what + ") has no internal pull-up: fit an external pull-up (10 k to 3.3 V)");
    if (STRAPPING.has(u.pin) && !allowStrapping.has(u.pin)) {
      if (u.dir === "in") c.warn(u.field, "GPIO " + u.pin + " is a strapping pin: make sure the " + u.what + " does not hold it at boot");
      else c.err(u.field, "GPIO " + u.pin + " is a strapping pin (0, 2, 5, 12, 15) and must not be a " + u.what +
        " unless listed in toolchain.allowStrappingPins with a wiring note");
    }
  }
}

/** the SNTP server (optional; boards with WiFi): a DNS name or dotted IPv4 address and a UDP port */
function checkSntp(c: Checker, v: unknown): void {
  if (!c.obj(v, "sntp")) return;
  c.only(v, "sntp", ["host", "port"]);
  const host = v.host;
  if (typeof host !== "string" || !host) c.err("sntp.host", host === undefined ? "missing (the SNTP server's DNS name or IPv4 address, e.g. \"pool.ntp.org\")" : "must be a non-empty string, got " + JSON.stringify(host));
  else if (host.length > 253 || !/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(host)) {
    c.err("sntp.host", JSON.stringify(host) + " is not a host name or IPv4 address (letters, digits, '-' and '.', no scheme or port)");
  }
  if (v.port === undefined) c.err("sntp.port", "missing (the UDP port, 123 for SNTP)");
  else if (typeof v.port !== "number" || !Number.isInteger(v.port) || v.port < 1 || v.port > 65535) c.err("sntp.port", "must be a UDP port 1..65535, got " + JSON.stringify(v.port));
}

/** Validates a parsed board file; `file` is used in the messages. */
export function validateBoard(data: unknown, file: string): { errors: string[]; warnings: string[] } {
  const c = new Checker(file);
  if (!c.obj(data, "(top level)")) return { errors: c.errors, warnings: c.warnings };
  const b = data;
  c.only(b, "(top level)", ["name", "description", "mcu", "partitions", "buses", "parts", "flashRegions", "hostLink", "sntp", "reserved", "toolchain"]);
  const expected = path.basename(file).replace(/\.json$/, "");
  if (c.text(b.name, "name") && b.name !== expected) c.err("name", "is \"" + b.name + "\" but the file is " + expected + ".json");
  c.text(b.description, "description");
  if (c.obj(b.mcu, "mcu")) {
    c.only(b.mcu, "mcu", ["family", "module", "flashSize", "jsVars", "espruino"]);
    if (typeof b.mcu.espruino !== "string" || !/^\d+v\d+$/.test(b.mcu.espruino)) c.err("mcu.espruino", "must be the oldest Espruino version the firmware runs on, like \"2v29\"");
    if (b.mcu.family !== "esp32") c.err("mcu.family", "must be \"esp32\"");
    c.text(b.mcu.module, "mcu.module");
    c.int(b.mcu.flashSize, "mcu.flashSize", 1);
    if (c.int(b.mcu.jsVars, "mcu.jsVars", 1) && b.mcu.jsVars > 16383) c.err("mcu.jsVars", "the ESP32 build has at most 16383 JsVars");
  }
  let allow = new Set<number>();
  if (b.toolchain !== undefined && c.obj(b.toolchain, "toolchain")) {
    c.only(b.toolchain, "toolchain", ["budgetBytes", "allowStrappingPins"]);
    if (b.toolchain.budgetBytes !== undefined) c.int(b.toolchain.budgetBytes, "toolchain.budgetBytes", 1);
    if (b.toolchain.allowStrappingPins !== undefined) {
      if (!Array.isArray(b.toolchain.allowStrappingPins)) c.err("toolchain.allowStrappingPins", "must be a list of pins");
      else allow = new Set(b.toolchain.allowStrappingPins);
    }
  }
  // plain TCP to the acquirer only when a board says so (docs/host-protocol.md §1.5)
  if (c.obj(b.hostLink, "hostLink")) {
    c.only(b.hostLink, "hostLink", ["transport"]);
    if (b.hostLink.transport !== "tls" && b.hostLink.transport !== "tcp") c.err("hostLink.transport", "must be \"tls\" or \"tcp\" (plain TCP: simulator and test boards only)");
  }
  if (b.sntp !== undefined) checkSntp(c, b.sntp);
  checkPartitions(c, b);
  checkRegions(c, b);
  checkBuses(c, b);
  checkParts(c, b);
  checkPins(c, b, allow);
  return { errors: c.errors, warnings: c.warnings };
}

export function boardFile(nameOrPath: string): string {
  return nameOrPath.endsWith(".json") ? path.resolve(nameOrPath) : path.join(BOARDS_DIR, nameOrPath + ".json");
}

/** Board names in boards/ (the CLI's board description esp32-cli.json is not one). */
export function boardNames(): string[] {
  return fs.readdirSync(BOARDS_DIR).filter((f) => f.endsWith(".json") && f !== "esp32-cli.json").map((f) => f.slice(0, -5)).sort();
}

export function budgetOf(board: Board): number {
  const tc = (board as Board & { toolchain?: ToolchainSettings }).toolchain;
  return tc && typeof tc.budgetBytes === "number" ? tc.budgetBytes : DEFAULT_BUDGET;
}

/** Loads and validates; throws BoardError listing every problem. */
export function loadBoardFile(nameOrPath: string): { board: Board; warnings: string[]; file: string } {
  const file = boardFile(nameOrPath);
  if (!fs.existsSync(file)) {
    throw new BoardError(file, [rel(file) + ": no such board file (boards: " + boardNames().join(", ") + ")"]);
  }
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new BoardError(file, [rel(file) + ": not valid JSON: " + (e as Error).message]);
  }
  const { errors, warnings } = validateBoard(data, file);
  if (errors.length) throw new BoardError(file, errors);
  return { board: data as Board, warnings, file };
}

/** For the simulator: the validated board by name (or path to a .json file). */
export function loadBoard(nameOrPath: string): Board {
  return loadBoardFile(nameOrPath).board;
}
