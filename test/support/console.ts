// Runs a command-line entry in-process and captures what it prints.
export function capture(fn: () => number): { code: number; out: string; err: string } {
  const out: string[] = [], err: string[] = [];
  const log = console.log, error = console.error;
  console.log = (s: string) => out.push(s);
  console.error = (s: string) => err.push(s);
  try { return { code: fn(), out: out.join("\n"), err: err.join("\n") }; } finally { console.log = log; console.error = error; }
}
