/**
 * How the source of a setting or a credential is named to people (`config show`, error messages).
 */
import { quote } from '../core/text.js';

// A Map, not an object literal: a source such as `toString` is no lookup.
const LOOKUPS = new Map([
  ['iam:login', 'the IAM login token'],
  ['iam:projects', 'the IAM project list'],
]);

export function describeSource(source: string): string {
  if (source === 'flag') return 'command-line flag';
  if (source === 'stdin') return 'standard input (--token-stdin)';
  if (source.startsWith('env:')) return `environment ${source.slice(4)}`;
  const looked = /^profile:(.*) \((iam:[a-z]+)\)$/.exec(source);
  if (looked) {
    // Stryker disable next-line StringLiteral: both groups always take part in a match; the defaults only satisfy the types
    const [, name = '', how = ''] = looked;
    return `profile ${quote(name)}, looked up from ${LOOKUPS.get(how) ?? how}`;
  }
  if (source.startsWith('profile:')) return `profile ${quote(source.slice(8))}`;
  const notLoggedIn = /^login:(.*) \(not logged in\)$/.exec(source);
  if (notLoggedIn) {
    // Stryker disable next-line StringLiteral: the group always takes part in a match; the default only satisfies the types
    const name = notLoggedIn[1] ?? '';
    return `profile ${quote(name)} logs in with a password, and is not logged in (\`hss auth login -p ${name}\`)`;
  }
  if (source.startsWith('login:')) return `cached login of profile ${quote(source.slice(6))}`;
  if (source.startsWith('command:')) return `credential command of profile ${quote(source.slice(8))}`;
  if (source.startsWith('file:')) return `SDK credentials file ${source.slice(5)}`;
  const lookup = LOOKUPS.get(source);
  if (lookup) return `looked up from ${lookup}`;
  return source;
}
