// What the tfjs-core op suite run leaves out, each with its reason. Exclusions are for tests that
// cannot pass on any backend in this harness or that check a detail specific to another backend;
// never to hide a native-kernel bug (a failing native kernel is a bug to fix, not to list here).

/** Test files (paths under tfjs-core's dist/, without `_test.js`) that are not bundled. */
export const excludedFiles: { file: string; reason: string }[] = [];

/** Specs skipped by full-name substring (jasmine's `describe` + `it` names joined by spaces). */
export const excludedSpecs: { name: string; reason: string }[] = [];
