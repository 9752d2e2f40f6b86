/**
 * The rule for every file hss takes credentials or commands from — the profile store, the credential
 * cache, the SDK credentials file: each decides which token is sent where and which command runs as the
 * user. So, as ssh's StrictModes does for its files, each is used only when no one but the user can have
 * written it: the file and the folder it is in must be owned by the user running hss (or root) and not
 * writable by group or others. Otherwise the run stops (exit 3) naming the file and the fix; it never
 * falls back to other settings, which would hide the problem. The file is checked with fstat on the
 * descriptor it is read from, so nothing can be swapped in between. Windows has no such owner and mode
 * bits, and nothing is checked there.
 */
import { closeSync, fstatSync, openSync, readFileSync, type Stats, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../core/errors.js';

/** The user running hss; undefined where files have no owner and mode bits to check (Windows). */
function currentUid(): number | undefined {
  return process.platform === 'win32' ? undefined : process.getuid?.();
}

/** What a refusal names, and where the user can point hss instead. */
export interface TrustedFile {
  /** `the profile store`, `the credential cache`, `the credentials file`. */
  what: string;
  /** How to use another file or folder: `point HSS_CONFIG_DIR at a folder of your own`. */
  elsewhere: string;
}

interface Problem {
  /** The user running hss. */
  uid: number;
  /** Set when the file is someone else's. */
  owner?: number;
  /** Set when group or others may write it. */
  mode?: number;
}

/** Why `stats` may not be trusted, or undefined. */
function distrust(stats: Stats): Problem | undefined {
  const uid = currentUid();
  if (uid === undefined) return undefined;
  // root may write anything anyway: a file of root's (a mounted secret) is as safe as the user's own.
  if (stats.uid !== uid && stats.uid !== 0) return { uid, owner: stats.uid };
  if ((stats.mode & 0o022) !== 0) return { uid, mode: stats.mode & 0o7777 };
  return undefined;
}

function refusal(label: string, name: string, problem: Problem, fix: string, elsewhere: string): ConfigError {
  const { uid } = problem;
  if (problem.owner !== undefined) {
    return new ConfigError(
      `${label} is owned by uid ${problem.owner}, not by you (uid ${uid}): hss does not use what someone else may have written`,
      { hint: `if it is yours, \`chown ${uid} ${name}\` (as root); else ${elsewhere}` },
    );
  }
  const who = (problem.mode ?? 0) & 0o002 ? 'others' : 'group';
  return new ConfigError(
    `${label} is writable by ${who} (mode ${(problem.mode ?? 0).toString(8)}): hss does not use what someone else may have written`,
    { hint: `${fix}, or ${elsewhere}` },
  );
}

/**
 * Refuses (exit 3) a folder that holds files hss trusts, when it is not the user's alone; a missing
 * folder passes (there is nothing in it to trust).
 */
export function checkTrustedFolder(dir: string, file: TrustedFile): void {
  let stats: Stats;
  try {
    stats = statSync(dir);
  } catch {
    return;
  }
  const problem = distrust(stats);
  if (problem) {
    throw refusal(
      `the folder ${dir} of ${file.what}`,
      dir,
      problem,
      `if the folder is yours alone, \`chmod go-w ${dir}\``,
      file.elsewhere,
    );
  }
}

/**
 * Reads a file hss trusts: its text and permission bits, or undefined when it does not exist. Refuses
 * (exit 3) a file or folder someone else may have written; other failures (EISDIR, EACCES) are thrown
 * as they come, for the caller to name.
 */
export function readTrustedFile(
  file: string,
  trust: TrustedFile,
): { text: string; mode: number } | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const stats = fstatSync(fd);
    const problem = distrust(stats);
    if (problem)
      throw refusal(`${trust.what} ${file}`, file, problem, `\`chmod 600 ${file}\``, trust.elsewhere);
    checkTrustedFolder(path.dirname(file), trust);
    return { text: readFileSync(fd, 'utf8'), mode: stats.mode & 0o7777 };
  } finally {
    closeSync(fd);
  }
}

/**
 * The permission bits of a file group or others may read (it holds secrets), for a warning; undefined
 * when they may not, and when they may write it too (it is refused when read).
 */
export function exposedMode(file: string): number | undefined {
  if (currentUid() === undefined) return undefined;
  let mode = 0;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    // Missing or out of reach: nothing anyone could read.
  }
  return (mode & 0o077) !== 0 && (mode & 0o022) === 0 ? mode : undefined;
}

/** What a refusal of the profile store, or of the config folder it is in, names. */
export const STORE_TRUST: TrustedFile = {
  what: 'the profile store',
  elsewhere: 'point HSS_CONFIG_DIR at a folder of your own',
};
