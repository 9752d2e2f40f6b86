/**
 * `hss version`: what a bug report needs, as `gh version` and `kubectl version` print it. `hss
 * --version` stays the bare version for scripts.
 */
import { COMMIT, userAgent, VERSION } from '../../core/version.js';
import type { Handler } from '../define.js';
import type { VersionDocument } from '../documents.js';
import type { spec } from './command.js';

const version: Handler<typeof spec> = async () => {
  const data: VersionDocument = {
    ok: true,
    version: VERSION,
    node: process.versions.node,
    platform: process.platform,
    arch: process.arch,
    user_agent: userAgent(),
    build: { commit: COMMIT },
  };
  return {
    data,
    text: (s) =>
      [
        `${s.bold('hss-cli')}   ${VERSION}`,
        `node      ${process.versions.node}`,
        `platform  ${process.platform} ${process.arch}`,
        `build     ${COMMIT ? `commit ${COMMIT}` : s.dim('no commit recorded')}`,
      ].join('\n'),
    exitCode: 0,
  };
};
export default version;
