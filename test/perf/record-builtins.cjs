// Preloaded into the CLI by lazy-loading.test.ts (NODE_OPTIONS=--require=…): writes the Node built-in
// modules the run loaded (process.moduleLoadList) to the file named by HSS_TEST_LOADS at exit.
'use strict';

process.on('exit', () => {
  require('node:fs').writeFileSync(process.env.HSS_TEST_LOADS, JSON.stringify(process.moduleLoadList));
});
