/**
 * `hss profile remove` on a real pseudo-terminal: it asks, and removes only on yes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { writeStore } from '../helpers/credentials.js';
import { hssOnPty } from '../helpers/pty.js';

const plain = (output: string) =>
  output
    .replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')
    .replace(/\r\n/g, '\n')
    .replace(/\r/g, '');

function profiles(configDir: string): string[] {
  return Object.keys(JSON.parse(readFileSync(path.join(configDir, 'config.json'), 'utf8')).profiles);
}

function store(): string {
  const configDir = tempDir();
  writeStore(configDir, { lab: { region: 'cn-north-4' }, other: { region: 'cn-east-3' } }, 'lab');
  return configDir;
}

describe('hss profile remove on a terminal', () => {
  it('asks; y removes it', async () => {
    const configDir = store();
    const session = hssOnPty(['profile', 'remove', 'lab'], { configDir });
    await session.waitFor('Remove profile "lab" (region cn-north-4)? [y/N] ');
    session.type('y\r');
    const { exitCode, output } = await session.exit;
    expect(exitCode, output).toBe(0);
    expect(plain(output)).toBe(
      'Remove profile "lab" (region cn-north-4)? [y/N] y\n✔ profile lab removed; no profile is current now\n',
    );
    expect(profiles(configDir)).toEqual(['other']);
  });

  it.each([
    ['Enter alone', ''],
    ['n', 'n'],
    ['anything but y or yes', 'sure'],
  ])('%s keeps it: exit 2, nothing removed', async (_what, answer) => {
    const configDir = store();
    const session = hssOnPty(['profile', 'rm', 'lab'], { configDir });
    await session.waitFor('[y/N] ');
    session.type(`${answer}\r`);
    const { exitCode, output } = await session.exit;
    expect(exitCode, output).toBe(2);
    expect(plain(output)).toContain('error: profile "lab" was not removed: the answer was not yes\n');
    expect(profiles(configDir)).toEqual(['lab', 'other']);
  });

  it('--yes does not ask', async () => {
    const configDir = store();
    const { exitCode, output } = await hssOnPty(['profile', 'remove', 'other', '--yes'], { configDir }).exit;
    expect(exitCode, output).toBe(0);
    expect(plain(output)).toBe('✔ profile other removed\n');
    expect(profiles(configDir)).toEqual(['lab']);
  });
});
