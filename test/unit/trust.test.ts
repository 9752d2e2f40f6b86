/**
 * The rule for the files hss takes credentials and commands from (docs/reliability.md, "Trust
 * boundaries"): used only when the file and its folder are owned by the user running hss, or by root,
 * and writable by no one else; else exit 3 naming the file, the problem and the fix. Real files, real
 * modes and owners; the user running hss is played with a stubbed `process.getuid` where the test
 * needs someone other than root.
 */
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import {
  checkTrustedFolder,
  exposedMode,
  readTrustedFile,
  STORE_TRUST,
  type TrustedFile,
} from '../../src/settings/trust.js';
import { tempDir } from '../helpers/cli.js';

const posix = process.platform !== 'win32';
const asRoot = process.getuid?.() === 0;
const uid = process.getuid?.() ?? -1;

const CACHE: TrustedFile = { what: 'the credential cache', elsewhere: 'use another HSS_CACHE_DIR' };
const NOT_YOURS = 'hss does not use what someone else may have written';

afterEach(() => {
  vi.restoreAllMocks();
});

/** A file with this text and mode in a fresh 0700 folder of the user's. */
function fileWith(text: string, mode: number, name = 'config.json'): string {
  const dir = tempDir();
  chmodSync(dir, 0o700);
  const file = path.join(dir, name);
  writeFileSync(file, text);
  chmodSync(file, mode);
  return file;
}

function refusal(fn: () => unknown): ConfigError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  const error = caught as ConfigError;
  expect(error.exitCode).toBe(3);
  expect(error.code).toBe('CONFIG');
  return error;
}

/** Plays a user other than root (uid 4242), so that root's own files are someone else's. */
function runAs(user: number): void {
  vi.spyOn(process, 'getuid').mockReturnValue(user);
}

describe.skipIf(!posix)('readTrustedFile: files of the user alone', () => {
  it('reads a missing file as undefined', () => {
    expect(readTrustedFile(path.join(tempDir(), 'none.json'), STORE_TRUST)).toBeUndefined();
  });

  it.each([0o600, 0o400, 0o640, 0o644, 0o700, 0o755])(
    "reads the user's own file of mode %o (reading by others is warned of elsewhere, not refused)",
    (mode) => {
      const file = fileWith('{"profiles":{}}', mode);
      expect(readTrustedFile(file, STORE_TRUST)).toEqual({ text: '{"profiles":{}}', mode });
    },
  );

  it('keeps the special bits in the mode it reports', () => {
    const file = fileWith('x', 0o4600);
    expect(readTrustedFile(file, STORE_TRUST)).toEqual({ text: 'x', mode: 0o4600 });
  });

  it.each([
    [0o620, 'group', '620'],
    [0o660, 'group', '660'],
    [0o602, 'others', '602'],
    [0o666, 'others', '666'],
    [0o622, 'others', '622'],
    [0o1646, 'others', '1646'],
  ])('refuses a file of mode %o: writable by %s', (mode, who, shown) => {
    const file = fileWith('{"profiles":{}}', mode);
    const error = refusal(() => readTrustedFile(file, STORE_TRUST));
    expect(error.message).toBe(
      `the profile store ${file} is writable by ${who} (mode ${shown}): ${NOT_YOURS}`,
    );
    expect(error.hint).toBe(`\`chmod 600 ${file}\`, or point HSS_CONFIG_DIR at a folder of your own`);
  });

  it("names the file as its caller calls it, and that caller's way elsewhere", () => {
    const file = fileWith('{}', 0o606, 'token.json');
    const error = refusal(() => readTrustedFile(file, CACHE));
    expect(error.message).toBe(`the credential cache ${file} is writable by others (mode 606): ${NOT_YOURS}`);
    expect(error.hint).toBe(`\`chmod 600 ${file}\`, or use another HSS_CACHE_DIR`);
  });

  it.skipIf(!asRoot)('refuses a file owned by another user, naming both uids and the fix', () => {
    const file = fileWith('{}', 0o600);
    chownSync(file, 65534, 65534);
    const error = refusal(() => readTrustedFile(file, STORE_TRUST));
    expect(error.message).toBe(
      `the profile store ${file} is owned by uid 65534, not by you (uid ${uid}): ${NOT_YOURS}`,
    );
    expect(error.hint).toBe(
      `if it is yours, \`chown ${uid} ${file}\` (as root); else point HSS_CONFIG_DIR at a folder of your own`,
    );
  });

  it.skipIf(!asRoot)("takes a file of the user's own when hss runs as that user", () => {
    const file = fileWith('mine', 0o600);
    chownSync(file, 4242, 4242);
    chownSync(path.dirname(file), 4242, 4242);
    runAs(4242);
    expect(readTrustedFile(file, STORE_TRUST)).toEqual({ text: 'mine', mode: 0o600 });
  });

  it.skipIf(!asRoot)("takes a file of root's (a mounted secret) although hss runs as another user", () => {
    const file = fileWith('root', 0o644);
    runAs(4242);
    expect(readTrustedFile(file, STORE_TRUST)).toEqual({ text: 'root', mode: 0o644 });
  });

  it.skipIf(!asRoot)("refuses a file of a third user's to a user who is not root", () => {
    const file = fileWith('{}', 0o600);
    chownSync(file, 5555, 5555);
    runAs(4242);
    const error = refusal(() => readTrustedFile(file, STORE_TRUST));
    expect(error.message).toBe(
      `the profile store ${file} is owned by uid 5555, not by you (uid 4242): ${NOT_YOURS}`,
    );
    expect(error.hint).toBe(
      `if it is yours, \`chown 4242 ${file}\` (as root); else point HSS_CONFIG_DIR at a folder of your own`,
    );
  });

  it.skipIf(!asRoot)('names the owner before the mode when both are wrong', () => {
    const file = fileWith('{}', 0o666);
    chownSync(file, 65534, 65534);
    const error = refusal(() => readTrustedFile(file, STORE_TRUST));
    expect(error.message).toBe(
      `the profile store ${file} is owned by uid 65534, not by you (uid ${uid}): ${NOT_YOURS}`,
    );
  });

  it('judges a symlink by the file it leads to, read through the same descriptor', () => {
    const target = fileWith('{"a":1}', 0o646);
    const dir = tempDir();
    chmodSync(dir, 0o700);
    const link = path.join(dir, 'config.json');
    symlinkSync(target, link);
    const error = refusal(() => readTrustedFile(link, STORE_TRUST));
    expect(error.message).toBe(`the profile store ${link} is writable by others (mode 646): ${NOT_YOURS}`);

    chmodSync(target, 0o600);
    expect(readTrustedFile(link, STORE_TRUST)).toEqual({ text: '{"a":1}', mode: 0o600 });
  });

  it.skipIf(!asRoot)("refuses a symlink of the user's own that leads to another user's file", () => {
    const target = fileWith('{}', 0o600);
    chownSync(target, 65534, 65534);
    const dir = tempDir();
    chmodSync(dir, 0o700);
    const link = path.join(dir, 'config.json');
    symlinkSync(target, link);
    const error = refusal(() => readTrustedFile(link, STORE_TRUST));
    expect(error.message).toBe(
      `the profile store ${link} is owned by uid 65534, not by you (uid ${uid}): ${NOT_YOURS}`,
    );
  });

  it('refuses a good file in a folder others may write, naming the folder', () => {
    const file = fileWith('{}', 0o600);
    const dir = path.dirname(file);
    chmodSync(dir, 0o777);
    const error = refusal(() => readTrustedFile(file, STORE_TRUST));
    expect(error.message).toBe(
      `the folder ${dir} of the profile store is writable by others (mode 777): ${NOT_YOURS}`,
    );
    expect(error.hint).toBe(
      `if the folder is yours alone, \`chmod go-w ${dir}\`, or point HSS_CONFIG_DIR at a folder of your own`,
    );
  });

  it.skipIf(!existsSync('/proc/self/fd'))(
    'closes the descriptor it reads through, also when it refuses the file',
    () => {
      const good = fileWith('{}', 0o600);
      const bad = fileWith('{}', 0o666);
      const open = () => readdirSync('/proc/self/fd').length;
      const before = open();
      for (let i = 0; i < 20; i++) {
        readTrustedFile(good, STORE_TRUST);
        expect(() => readTrustedFile(bad, STORE_TRUST)).toThrow(ConfigError);
      }
      expect(open()).toBe(before);
    },
  );

  it('throws other failures as they come (a folder where the file should be)', () => {
    const dir = tempDir();
    chmodSync(dir, 0o700);
    const folder = path.join(dir, 'config.json');
    mkdirSync(folder, { mode: 0o700 });
    expect(() => readTrustedFile(folder, STORE_TRUST)).toThrow(expect.objectContaining({ code: 'EISDIR' }));
    expect(() => readTrustedFile(path.join(fileWith('x', 0o600), 'below'), STORE_TRUST)).toThrow(
      expect.objectContaining({ code: 'ENOTDIR' }),
    );
  });
});

describe.skipIf(!posix)('checkTrustedFolder', () => {
  it.each([0o700, 0o750, 0o755, 0o1700])("accepts a folder of the user's own of mode %o", (mode) => {
    const dir = tempDir();
    chmodSync(dir, mode);
    expect(() => checkTrustedFolder(dir, STORE_TRUST)).not.toThrow();
  });

  it('accepts a missing folder (nothing in it to trust), and a path below a file', () => {
    expect(() => checkTrustedFolder(path.join(tempDir(), 'none'), STORE_TRUST)).not.toThrow();
    expect(() => checkTrustedFolder(path.join(fileWith('x', 0o600), 'below'), STORE_TRUST)).not.toThrow();
  });

  it.each([
    [0o770, 'group', '770'],
    [0o720, 'group', '720'],
    [0o757, 'others', '757'],
    [0o1777, 'others', '1777'],
  ])('refuses a folder of mode %o: writable by %s', (mode, who, shown) => {
    const dir = tempDir();
    chmodSync(dir, mode);
    const error = refusal(() => checkTrustedFolder(dir, CACHE));
    expect(error.message).toBe(
      `the folder ${dir} of the credential cache is writable by ${who} (mode ${shown}): ${NOT_YOURS}`,
    );
    expect(error.hint).toBe(
      `if the folder is yours alone, \`chmod go-w ${dir}\`, or use another HSS_CACHE_DIR`,
    );
  });

  it.skipIf(!asRoot)('refuses a folder owned by another user', () => {
    const dir = tempDir();
    chmodSync(dir, 0o700);
    chownSync(dir, 65534, 65534);
    const error = refusal(() => checkTrustedFolder(dir, STORE_TRUST));
    expect(error.message).toBe(
      `the folder ${dir} of the profile store is owned by uid 65534, not by you (uid ${uid}): ${NOT_YOURS}`,
    );
    expect(error.hint).toBe(
      `if it is yours, \`chown ${uid} ${dir}\` (as root); else point HSS_CONFIG_DIR at a folder of your own`,
    );
  });

  it.skipIf(!asRoot)("accepts root's folder for another user, and the user's own", () => {
    const rootsDir = tempDir();
    chmodSync(rootsDir, 0o755);
    const own = tempDir();
    chmodSync(own, 0o700);
    chownSync(own, 4242, 4242);
    runAs(4242);
    expect(() => checkTrustedFolder(rootsDir, STORE_TRUST)).not.toThrow();
    expect(() => checkTrustedFolder(own, STORE_TRUST)).not.toThrow();
  });
});

describe.skipIf(!posix)('exposedMode: a file of secrets others may read', () => {
  it.each([
    [0o644, 0o644],
    [0o640, 0o640],
    [0o604, 0o604],
    [0o744, 0o744],
    [0o4644, 0o644],
    [0o600, undefined],
    [0o400, undefined],
    [0o700, undefined],
    // Writable by group or others: refused when read, not merely warned of.
    [0o660, undefined],
    [0o646, undefined],
    [0o620, undefined],
  ])('mode %o: %o', (mode, exposed) => {
    expect(exposedMode(fileWith('x', mode))).toBe(exposed);
  });

  it('is undefined for a missing file, and for a path below a file', () => {
    expect(exposedMode(path.join(tempDir(), 'none'))).toBeUndefined();
    expect(exposedMode(path.join(fileWith('x', 0o644), 'below'))).toBeUndefined();
  });
});

describe('where there are no owners or mode bits to check', () => {
  it.each([
    ['Windows', 'win32', true],
    ['a platform without getuid', 'linux', false],
  ])('%s: nothing is refused or warned of', (_name, platform, withGetuid) => {
    const file = fileWith('open', 0o666);
    chmodSync(path.dirname(file), 0o777);
    const realPlatform = Object.getOwnPropertyDescriptor(process, 'platform');
    const realGetuid = process.getuid;
    Object.defineProperty(process, 'platform', { value: platform, configurable: true });
    if (!withGetuid) Reflect.deleteProperty(process, 'getuid');
    try {
      expect(readTrustedFile(file, STORE_TRUST)).toEqual({ text: 'open', mode: 0o666 });
      expect(() => checkTrustedFolder(path.dirname(file), STORE_TRUST)).not.toThrow();
      writeFileSync(file, 'open');
      chmodSync(file, 0o644);
      expect(exposedMode(file)).toBeUndefined();
    } finally {
      if (realPlatform) Object.defineProperty(process, 'platform', realPlatform);
      if (!withGetuid) process.getuid = realGetuid;
    }
  });
});
