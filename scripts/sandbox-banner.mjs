// The first line `hss sandbox --json` prints: its banner (URL, project, public credentials), read once
// the server listens. The rest of its output is drained so the child never blocks on a full pipe.
import { createInterface } from 'node:readline';

/** @param {import('node:child_process').ChildProcess} sandbox */
export function sandboxBanner(sandbox) {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: sandbox.stdout });
    lines.once('line', (line) => {
      lines.close();
      sandbox.stdout.resume();
      resolve(JSON.parse(line));
    });
    sandbox.once('exit', (code) => reject(new Error(`the sandbox exited with code ${code}`)));
  });
}
