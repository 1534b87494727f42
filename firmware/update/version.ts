// This firmware's version, as the update service reads it from the bundle text (sim/update/
// image.ts) and the update menu compares offers with it. "jf" is the journal format the build
// writes (journal/format.ts FORMAT_VERSION; a unit test keeps the two equal). Bump "v" for every
// release: the terminal refuses to install the version it runs.
export var FIRMWARE_TAG = "POSFW v1 jf1";

/** the number after "v" in FIRMWARE_TAG */
export function firmwareVersion(): number { return parseInt(FIRMWARE_TAG.split(" ")[1]!.substr(1), 10); }
