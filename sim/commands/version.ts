export const summary = "print the simulator and Node versions";
export function run(_args: string[]): number {
  const pkg = require("../../package.json");
  console.log(`pos-sim ${pkg.version} (node ${process.version})`);
  return 0;
}
