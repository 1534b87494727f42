// Root hooks shared by every suite. Kept empty of behaviour on purpose: each suite builds
// its own simulator so no state leaks between tests.
export const mochaHooks = {};
