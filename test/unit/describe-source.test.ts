/**
 * How the source of a setting or credential reads to people (`config show`, `auth status`, errors):
 * the phrases of docs/authentication.md and the contract, written out here, one per kind of source.
 */
import { describe, expect, it } from 'vitest';
import { describeSource } from '../../src/settings/describe.js';

describe('describeSource', () => {
  it.each([
    ['flag', 'command-line flag'],
    ['stdin', 'standard input (--token-stdin)'],
    ['env:HSS_REGION', 'environment HSS_REGION'],
    ['env:HUAWEICLOUD_SDK_IAM_ENDPOINT', 'environment HUAWEICLOUD_SDK_IAM_ENDPOINT'],
    ['profile:prod', 'profile "prod"'],
    ['profile:prod (iam:login)', 'profile "prod", looked up from the IAM login token'],
    ['profile:lab (iam:projects)', 'profile "lab", looked up from the IAM project list'],
    // A lookup hss does not know by name is still shown, as it is.
    ['profile:lab (iam:other)', 'profile "lab", looked up from iam:other'],
    [
      'login:lab (not logged in)',
      'profile "lab" logs in with a password, and is not logged in (`hss auth login -p lab`)',
    ],
    ['login:prod', 'cached login of profile "prod"'],
    ['command:ci', 'credential command of profile "ci"'],
    ['file:/home/u/.huaweicloud/credentials', 'SDK credentials file /home/u/.huaweicloud/credentials'],
    ['iam:login', 'looked up from the IAM login token'],
    ['iam:projects', 'looked up from the IAM project list'],
    ['default', 'default'],
    ['derived:region cn-north-4', 'derived:region cn-north-4'],
  ])('%s reads "%s"', (source, text) => {
    expect(describeSource(source)).toBe(text);
  });

  it('quotes a profile name as it quotes any value (escaped), in every form that names one', () => {
    expect(describeSource('profile:a"b')).toBe('profile "a\\"b"');
    expect(describeSource('login:a"b')).toBe('cached login of profile "a\\"b"');
    expect(describeSource('command:a"b')).toBe('credential command of profile "a\\"b"');
    expect(describeSource('profile:a"b (iam:login)')).toBe(
      'profile "a\\"b", looked up from the IAM login token',
    );
  });

  it('reads a lookup note only at the end of a profile source, in its own form', () => {
    // Not a lookup: the note must be "(iam:<letters>)" closing the source.
    expect(describeSource('profile:p (iam:login) x')).toBe('profile "p (iam:login) x"');
    expect(describeSource('profile:p (iam:Login)')).toBe('profile "p (iam:Login)"');
    expect(describeSource('profile:p (iam:)')).toBe('profile "p (iam:)"');
    expect(describeSource('profile:p(iam:login)')).toBe('profile "p(iam:login)"');
    expect(describeSource('xprofile:p (iam:login)')).toBe('xprofile:p (iam:login)');
    expect(describeSource('profile: (iam:login)')).toBe('profile "", looked up from the IAM login token');
  });

  it('reads "not logged in" only as the whole note of a login source', () => {
    expect(describeSource('login:p (not logged in) x')).toBe('cached login of profile "p (not logged in) x"');
    expect(describeSource('xlogin:p (not logged in)')).toBe('xlogin:p (not logged in)');
    expect(describeSource('login: (not logged in)')).toBe(
      'profile "" logs in with a password, and is not logged in (`hss auth login -p `)',
    );
  });

  it('takes the prefixes only at the start', () => {
    expect(describeSource('xenv:HSS_REGION')).toBe('xenv:HSS_REGION');
    expect(describeSource('xcommand:ci')).toBe('xcommand:ci');
    expect(describeSource('xfile:/f')).toBe('xfile:/f');
    expect(describeSource('xlogin:p')).toBe('xlogin:p');
    expect(describeSource('flags')).toBe('flags');
    expect(describeSource('iam:other')).toBe('iam:other');
    // Keys of every object are not lookups.
    expect(describeSource('toString')).toBe('toString');
  });
});
