declare const __HSS_VERSION__: string | undefined;

/** Set by the build from package.json; "0.0.0-dev" when running from source. */
export const VERSION: string = typeof __HSS_VERSION__ === 'string' ? __HSS_VERSION__ : '0.0.0-dev';

/** `User-Agent: hss-cli/{version} node/{version} {platform}`, as the contract has it. */
export function userAgent(): string {
  return `hss-cli/${VERSION} node/${process.versions.node} ${process.platform}`;
}
