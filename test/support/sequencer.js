// Two workers share the run: whichever file starts last decides how long the other one idles.
// Jest runs the slowest files first when its cache knows their times; CI starts without that
// cache, and jest then guesses by file size, which ranks the browser suites, the spawned-process
// suite and the fuzzer (short files, long runs) far too late. Here a file with no recorded time
// gets an estimate from what it is, so the long ones start first and small unit specs fill the end.
const Sequencer = require('@jest/test-sequencer').default;
const { basename } = require('node:path');

/** Known long runs for their size (seconds alone on a 2-core machine): spawned servers, thousands of requests. */
const KNOWN = { 'process.e2e-spec.ts': 70, 'fuzz.e2e-spec.ts': 60 };

function estimate(test, size) {
  const name = basename(test.path);
  if (KNOWN[name]) return KNOWN[name] * 1000;
  // A browser suite: a hub, Chromium and a few sign-ins before its first test.
  if (name.startsWith('web-') && name.endsWith('.e2e-spec.ts')) return 25_000 + size;
  // A server suite: a hub (or more) and its cohort; longer files hold more of them.
  if (name.endsWith('.e2e-spec.ts')) return 5_000 + size;
  return size / 10;
}

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const known = tests.map((test) => this.time(test));
    // Everything timed before: jest's own order (failed first, then the slowest).
    if (known.every((d) => d != null)) return super.sort(tests);
    const weight = new Map(
      tests.map((test, i) => [test, known[i] ?? estimate(test, test.context.hasteFS.getSize(test.path) ?? 0)]),
    );
    return [...tests].sort((a, b) => {
      const failedA = this.hasFailed(a);
      if (failedA !== this.hasFailed(b)) return failedA ? -1 : 1;
      return weight.get(b) - weight.get(a);
    });
  }
}

module.exports = SlowFirstSequencer;
