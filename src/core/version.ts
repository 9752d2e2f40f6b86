declare const __HSS_VERSION__: string | undefined;
declare const __HSS_COMMIT__: string | undefined;

/** Set by the build from package.json; "0.0.0-dev" when running from source. */
export const VERSION: string = typeof __HSS_VERSION__ === 'string' ? __HSS_VERSION__ : '0.0.0-dev';

/** The git commit the build was made from; null outside a checkout or when running from source. */
export const COMMIT: string | null =
  typeof __HSS_COMMIT__ === 'string' && __HSS_COMMIT__ !== '' ? __HSS_COMMIT__ : null;

/** `User-Agent: hss-cli/{version} node/{version} {platform}`, as the contract has it. */
export function userAgent(): string {
  return `hss-cli/${VERSION} node/${process.versions.node} ${process.platform}`;
}
