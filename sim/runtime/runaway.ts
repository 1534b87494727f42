// Runaway code: Espruino interrupts a callback that never returns (Ctrl-C on the console, or
// the watchdog resets the chip), so the simulator must never hang on one either.
//
// Node's only clean interrupt for synchronous JS is vm's `timeout`, and each timed run starts
// a watchdog thread: measured 76 us per run on Node 20 against 1.3 us for a plain run, and a
// sale takes ~360 callbacks, so a timed run per callback would cut sim.sales_per_second about
// sevenfold. So the bundle's loops count themselves instead: every loop body of the bundle
// (while, do, for, for-in/of) starts with a call to the hidden global `__$L`, one compare per
// iteration, and every 16,384 iterations the host checks the callback's budget (loop
// iterations, wall time, virtual time against an enabled watchdog). The boot code also runs
// under vm's `timeout` (one timed run per power-on) for runaway code without loops.
// Insertions hold no newline, so only columns move on their lines: `columnFix` maps a stack
// column back to the bundle's own, and source maps keep working.
import * as acorn from "acorn";
import * as walk from "acorn-walk";

/** the hook's global name: not an identifier terser produces or the firmware uses */
export const LOOP_HOOK = "__$L";
const CALL = LOOP_HOOK + "();";
/** a loop body that is not a block gets braces: `{__$L(0);` ... `}` (told apart for hookChars) */
const WRAP = LOOP_HOOK + "(0);";

export interface Instrumented {
  code: string;
  /** loops instrumented */
  loops: number;
  /** 1-based line, 1-based column in `code` -> 1-based column in the original source */
  columnFix(line: number, col: number): number;
}

const cache: { source: string; result: Instrumented }[] = [];

/** `source` with a hook call at the start of every loop body; unchanged (0 loops) when it does
 *  not parse (V8 then reports the syntax error itself) or already uses the hook's name */
export function instrumentLoops(source: string): Instrumented {
  const hit = cache.find((e) => e.source === source);
  if (hit) return hit.result;
  const result = instrument(source);
  if (cache.length >= 8) cache.shift();
  cache.push({ source, result });
  return result;
}

function instrument(source: string): Instrumented {
  const none: Instrumented = { code: source, loops: 0, columnFix: (_l, c) => c };
  if (source.includes(LOOP_HOOK)) return none;
  let ast: acorn.Node;
  try {
    ast = acorn.parse(source, { ecmaVersion: "latest", sourceType: "script", allowReturnOutsideFunction: true, allowHashBang: true });
  } catch {
    return none;
  }
  const ins: { at: number; text: string; order: number }[] = [];
  let loops = 0;
  const loop = (n: any) => {
    const body = n.body;
    loops++;
    if (body.type === "BlockStatement") ins.push({ at: body.start + 1, text: CALL, order: ins.length });
    else {
      ins.push({ at: body.start, text: "{" + WRAP, order: ins.length });
      ins.push({ at: body.end, text: "}", order: ins.length });
    }
  };
  walk.simple(ast, {
    WhileStatement: loop, DoWhileStatement: loop, ForStatement: loop, ForInStatement: loop, ForOfStatement: loop,
  });
  if (!loops) return none;
  ins.sort((a, b) => a.at - b.at || a.order - b.order);
  // line starts of the original, for the per-line column shifts
  const lineStarts = [0];
  for (let i = source.indexOf("\n"); i >= 0; i = source.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  const lineOf = (pos: number) => {
    let lo = 0, hi = lineStarts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (lineStarts[mid]! <= pos) lo = mid; else hi = mid - 1; }
    return lo;
  };
  const perLine = new Map<number, { col: number; len: number }[]>();
  const parts: string[] = [];
  let last = 0;
  for (const i of ins) {
    parts.push(source.slice(last, i.at), i.text);
    last = i.at;
    const line = lineOf(i.at);
    let list = perLine.get(line + 1);
    if (!list) perLine.set(line + 1, (list = []));
    list.push({ col: i.at - lineStarts[line]!, len: i.text.length });
  }
  parts.push(source.slice(last));
  const columnFix = (line: number, col: number): number => {
    const list = perLine.get(line);
    if (!list) return col;
    let shift = 0;
    const c = col - 1;
    for (const e of list) {
      const at = e.col + shift; // where this insertion sits in the instrumented line
      if (c < at) break;
      if (c < at + e.len) return e.col + 1; // inside the inserted text: the loop body's start
      shift += e.len;
    }
    return col - shift;
  };
  return { code: parts.join(""), loops, columnFix };
}

/** how many hook calls a function's source text holds (E.getSizeOf sizes by source length) */
export function hookChars(src: string): number {
  if (src.indexOf(LOOP_HOOK) < 0) return 0;
  const count = (s: string) => { let n = 0; for (let i = src.indexOf(s); i >= 0; i = src.indexOf(s, i + s.length)) n++; return n; };
  return count(CALL) * CALL.length + count(WRAP) * (WRAP.length + 2);
}
