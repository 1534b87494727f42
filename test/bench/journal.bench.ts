// Journal figures, measured by instrumenting the virtual NOR flash (sim/parts/nor-flash.ts):
// bytes programmed count whole 4-byte words, as the ESP32 port programs them.
// Run: make bench (or tsx test/bench/journal.bench.ts).
import { Kind, Result, Reserved, isJournalError, Journal } from "../../firmware/journal/journal";
import { MonotonicCounter } from "../../firmware/journal/counter";
import { makeFlash, open, region, crc32 } from "../journal/support";

function line(name: string, value: number | string, unit: string, note: string): void {
  console.log(`${name}: ${value} ${unit}  # ${note}`);
}

/** a sale as the terminal makes it: with its time (format 2 keeps it in the body, docs/time.md) */
function sale(j: Journal, n: number): void {
  const r = j.reserve(Kind.Sale, { amount: 100 + n, token: new Uint8Array(8), last4: "4242", time: 217_000_000 + n });
  if (isJournalError(r)) throw new Error(r.reason);
  j.markAnswered((r as Reserved).slot, Result.Approved, "00", "AB12C3", "123456789012");
  j.markPrinted((r as Reserved).slot);
}

const reg = region(16);
const flash = makeFlash(reg);
let j = open(flash, reg);
sale(j, 0); // formats the first sector

// one complete sale in steady state: reserve (body + commit), answer, printed
let p0 = flash.stats.programmedBytes, w0 = flash.stats.wordPrograms;
sale(j, 1);
const perSale = flash.stats.programmedBytes - p0, progsPerSale = flash.stats.wordPrograms - w0;
line("journal.bytes_per_sale", perSale, "B", `goal <= 48; ${progsPerSale} word programs in 4 Flash.write calls (reserve body, commit, answer, printed); the record's time included`);

// the record's time costs nothing of its own: the same sale without one (clock not trusted)
p0 = flash.stats.programmedBytes;
const u = j.reserve(Kind.Sale, { amount: 2, token: new Uint8Array(8), last4: "4242" }) as Reserved;
j.markAnswered(u.slot, Result.Approved, "00", "AB12C3", "123456789012"); j.markPrinted(u.slot);
line("journal.time_bytes_per_sale", perSale - (flash.stats.programmedBytes - p0), "B", "extra bytes for the record's time (format 2: R bytes 18..21, inside the body write)");

// the same sale with the optional markSent
p0 = flash.stats.programmedBytes;
const r = j.reserve(Kind.Sale, { amount: 1 }) as Reserved;
j.markSent(r.slot); j.markAnswered(r.slot, Result.Approved, "00", "A", "123456789012"); j.markPrinted(r.slot);
line("journal.bytes_per_sale_with_sent", flash.stats.programmedBytes - p0, "B", "if the flow also calls markSent (optional)");

// steady state over many sales with a batch close every 400 sales: erases counted after the
// ring has turned once (the first 16 sectors of a blank region need no erase)
// (a batch holds at most 500 sales: the close comes after every 400th of the batch, counted
// across both loops)
let inBatch = 3;
const saleInBatch = (n: number): void => { sale(j, n); if (++inBatch === 400) { j.closeBatch(); inBatch = 0; } };
for (let n = 0; n < 16 * 84; n++) saleInBatch(n);
const e0 = flash.stats.erases;
p0 = flash.stats.programmedBytes;
const SALES = 20000;
for (let n = 0; n < SALES; n++) saleInBatch(n);
const erases = flash.stats.erases - e0;
line("journal.sales_per_erase", (SALES / erases).toFixed(1), "sales", `goal >= 80; ${SALES} sales, ${erases} sector erases, ${SALES / 400} batch closes included`);
line("journal.bytes_per_sale_amortized", ((flash.stats.programmedBytes - p0) / SALES).toFixed(1), "B", "including sector headers and batch-close frames");

// boot: header scan + newest sector
const b0 = flash.stats.readBytes;
j = open(flash, reg);
line("journal.boot_bytes_read", flash.stats.readBytes - b0, "B", "16 sector headers x 32 B + one 4096 B sector (limit N x 32 + 4096)");
const BOOTS = 200;
const t0 = process.hrtime.bigint();
for (let i = 0; i < BOOTS; i++) open(flash, reg);
const ms = Number(process.hrtime.bigint() - t0) / 1e6 / BOOTS;
line("journal.boot_ms_sim", ms.toFixed(3), "ms", "host CPU time of openJournal on the simulator's flash (Node, zlib CRC): the scan's cost in JS, not the ESP32's time");

// first write after a power-up: the seal (three reads of the newest sector) and the skip frame
const s0 = flash.stats.readBytes, q0 = flash.stats.programmedBytes;
j.reserve(Kind.Echo, {});
line("journal.first_write_read_bytes", flash.stats.readBytes - s0, "B", "seal: newest sector read 3 times + read-backs");
line("journal.first_write_programmed_bytes", flash.stats.programmedBytes - q0, "B", "a clean power-up seals nothing; one frame is skipped");

// standalone counter
const creg = { base: 0xe000, sectors: 2, sectorSize: 4096 };
const cflash = makeFlash(creg);
const c = new MonotonicCounter(cflash, creg, crc32);
for (let i = 0; i < 2 * 1016; i++) c.increment(); // the blank region's two sectors need no erase
const ce0 = cflash.stats.erases, cp0 = cflash.stats.programmedBytes;
const INCS = 20320;
for (let i = 0; i < INCS; i++) c.increment();
line("counter.increments_per_erase", (INCS / (cflash.stats.erases - ce0)).toFixed(0), "increments", "goal >= 1000");
line("counter.bytes_per_increment", ((cflash.stats.programmedBytes - cp0) / INCS).toFixed(2), "B", "one word per increment, headers amortized");

console.log("# reference figures from ../shared/flash-journal.md section 3, NOT measured here:");
console.log("#   ESP-IDF NVS: ~40 B per u32 update, ~76 B per 16-byte blob, ~124 u32 / ~63 blob updates per 4 KiB erase");
console.log("#   littlefs: ~2069 B per small synced append (about one erase per record); 28 B / 145 updates per erase for a 4-byte value");
console.log("#   Zephyr NVS 12 B / 339 per erase; ZMS 16 B / 251; ST EEPROM emulation 8 B / 508; Chromium nvcounter ~8192 per 4 KiB");
