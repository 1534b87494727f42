// This firmware's version, as the update service reads it from the bundle text (sim/update/
// image.ts: the "POSFW v<version> jf<journal format>" tag) and the update compares offers with
// it. "jf" is the journal format the build writes (journal/format.ts FORMAT; a unit test
// keeps the two equal). Bump "v" for every release: the terminal refuses to install the version
// it runs. The tag is a literal inside the function: no RAM at idle, and the version the
// firmware reports is the one the bundle text declares.
export function firmwareVersion(): number { return parseInt("POSFW v1 jf2".substr(7), 10); }
