/**
 * Where requests go: the regions hss knows, the HSS endpoint of a region, the default IAM endpoint, and
 * the rule every endpoint setting keeps.
 */
import { UsageError } from '../core/errors.js';
import { isLoopback } from '../core/net.js';
import { quote } from '../core/text.js';
import { describeSource } from './describe.js';

export const KNOWN_REGIONS = new Set([
  'cn-north-1',
  'cn-north-2',
  'cn-north-4',
  'cn-north-9',
  'cn-north-11',
  'cn-north-12',
  'cn-east-2',
  'cn-east-3',
  'cn-east-4',
  'cn-east-5',
  'cn-south-1',
  'cn-south-2',
  'cn-south-4',
  'cn-southwest-2',
  'cn-southwest-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'af-south-1',
  'af-north-1',
  'na-mexico-1',
  'sa-brazil-1',
  'la-south-2',
  'la-north-2',
  'tr-west-1',
  'ae-ad-1',
  'me-east-1',
  'my-kualalumpur-1',
  'eu-west-101',
  'ru-moscow-1',
]);

export const DEFAULT_IAM_ENDPOINT = 'https://iam.myhuaweicloud.com';

export function hssEndpointFor(region: string): string {
  const domain = region === 'eu-west-101' ? 'myhuaweicloud.eu' : 'myhuaweicloud.com';
  return `https://hss.${region}.${domain}`;
}

/** An endpoint must be https, or http on a loopback address (the sandbox), so no credential crosses a network in clear. */
export function checkEndpoint(value: string, what: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${what} ${quote(value)} (from ${describeSource(source)}): not a URL`, {
      hint: 'give a full URL, e.g. https://hss.cn-north-4.myhuaweicloud.com',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(
      `${what} ${quote(value)} (from ${describeSource(source)}): must be an https:// URL`,
      {
        hint: 'give a full URL, e.g. https://hss.cn-north-4.myhuaweicloud.com',
      },
    );
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new UsageError(
      `${what} ${quote(value)} (from ${describeSource(source)}): plain http is refused except on loopback; use https://`,
    );
  }
  if (url.username || url.password) {
    throw new UsageError(`${what} (from ${describeSource(source)}): must not carry a user name or password`, {
      hint: 'remove the user:password@ part; credentials come from a token, keys or `hss auth login`',
    });
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}
