// Preloaded into a real mon-build (NODE_OPTIONS=--import …) by the cache tests:
// the process sends itself MONCODE_INTERRUPT_SIGNAL just before its
// MONCODE_INTERRUPT_AT-th file-system write (write, rename, mkdir, rm), in
// each thread (counted per thread). With MONCODE_INTERRUPT_COUNT set it only counts,
// and appends the count of each thread to that file when the thread ends.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const at = Number(process.env.MONCODE_INTERRUPT_AT ?? 0);
const signal = process.env.MONCODE_INTERRUPT_SIGNAL ?? 'SIGKILL';
const countFile = process.env.MONCODE_INTERRUPT_COUNT;
let writes = 0;

for (const name of ['writeFileSync', 'renameSync', 'mkdirSync', 'rmSync', 'openSync']) {
  const original = fs[name];
  fs[name] = function (...args) {
    const isWrite = name !== 'openSync' || /[wa+]/.test(String(args[1] ?? 'r'));
    if (isWrite) {
      writes++;
      if (writes === at) {
        process.kill(process.pid, signal);
        // SIGINT is delivered asynchronously: stop here until it lands.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5000);
      }
    }
    return original.apply(this, args);
  };
}
syncBuiltinESMExports();

if (countFile) process.on('exit', () => fs.appendFileSync(countFile, `${writes}\n`));
