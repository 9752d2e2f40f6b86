/**
 * A setting with where it came from, and the environment layer every setting shares. Free of imports:
 * the start of every run reads the output settings (src/settings/output.ts) through it.
 */

export interface Resolved<T> {
  value: T;
  /** `flag`, `env:NAME`, `profile:NAME`, `default`, or `derived:…`. */
  source: string;
}

export type Env = Record<string, string | undefined>;

/**
 * The first of `names` set in the environment; an empty variable is unset (with `trim`, a blank one too,
 * and the value is trimmed).
 */
export function fromEnv(
  env: Env,
  names: string[],
  options: { trim?: boolean } = {},
): Resolved<string> | undefined {
  for (const name of names) {
    const value = options.trim ? env[name]?.trim() : env[name];
    if (value) return { value, source: `env:${name}` };
  }
  return undefined;
}

/** Whether a switch such as HSS_DEBUG or CI is on: set, and not empty, `0` or `false`. */
export function envFlag(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}
