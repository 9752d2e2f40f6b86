// Preloaded into the CLI (NODE_OPTIONS=--require=…) by test/helpers/loads.ts. At exit it writes to the
// file named by HSS_TEST_LOADS the files of dist/ the run read (bin/hss.js reads each one it loads, once,
// with fs.readFileSync; so does Node's own loader with --debug) and the built-in modules it loaded
// (process.moduleLoadList).
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const dist = path.resolve(__dirname, '..', '..', 'dist') + path.sep;
const files = [];
const readFileSync = fs.readFileSync;
fs.readFileSync = function recordingReadFileSync(file, ...rest) {
  if (typeof file === 'string' && file.startsWith(dist) && file.endsWith('.cjs') && !files.includes(file)) {
    files.push(file);
  }
  return readFileSync.call(this, file, ...rest);
};

process.on('exit', () => {
  fs.writeFileSync(process.env.HSS_TEST_LOADS, JSON.stringify({ files, builtins: process.moduleLoadList }));
});
