/**
 * The official SDKs' shared credentials file: `~/.huaweicloud/credentials`, or the path in
 * `$HUAWEICLOUD_SDK_CREDENTIALS_FILE`. INI; only section `[basic]` is read:
 *
 *   [basic]
 *   ak = …
 *   sk = …
 *   project_id = …
 *   security_token = …
 *   iam_endpoint = …
 *
 * Parsing follows Python's configparser defaults where it matters: `#` and `;` start a comment only
 * at the beginning of a line (a secret may contain them), keys are case-insensitive, values are
 * trimmed and taken verbatim (no quote stripping). Errors name the file and line number, never the
 * line's content, which may hold a secret.
 */
import { join } from 'node:path';
import { HssError } from '../core/errors.js';
import { readTrustedFile, type TrustedFile } from '../settings/trust.js';

export interface SdkCredentialsFile {
  path: string;
  accessKey?: string;
  secretKey?: string;
  projectId?: string;
  securityToken?: string;
  iamEndpoint?: string;
}

export const CREDENTIALS_FILE_ENV = 'HUAWEICLOUD_SDK_CREDENTIALS_FILE';

/** What a refusal of the file or its folder names (readTrustedFile, src/settings/trust.ts). */
const SDK_FILE_TRUST: TrustedFile = {
  what: 'the credentials file',
  elsewhere: `point ${CREDENTIALS_FILE_ENV} at a file of your own`,
};

/** Thrown by parseCredentialsIni; carries only the 1-based line number. */
export class IniSyntaxError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(message);
    this.name = 'IniSyntaxError';
    this.line = line;
  }
}

export function credentialsFilePath(env: Record<string, string | undefined>, homeDir: string): string {
  const override = env[CREDENTIALS_FILE_ENV];
  if (override !== undefined && override.trim() !== '') return override;
  return join(homeDir, '.huaweicloud', 'credentials');
}

const SECTION = /^\[([^\]]*)\]$/;

/** Sections → key (lower-case) → value. Later duplicates win. Throws IniSyntaxError on a bad line. */
export function parseCredentialsIni(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = Object.create(null);
  let current: Record<string, string> | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = SECTION.exec(line);
    if (section) {
      const name = (section[1] ?? '').trim();
      if (name === '') throw new IniSyntaxError(lineNo, `line ${lineNo}: empty section name`);
      current = sections[name] ?? (Object.create(null) as Record<string, string>);
      sections[name] = current;
      continue;
    }
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq).trim().toLowerCase() : '';
    if (key === '') {
      throw new IniSyntaxError(lineNo, `line ${lineNo}: not a section header, comment or key = value`);
    }
    if (current === undefined) {
      throw new IniSyntaxError(lineNo, `line ${lineNo}: key = value before any [section]`);
    }
    current[key] = line.slice(eq + 1).trim();
  }
  return sections;
}

/** Reads `[basic]` from the credentials file; undefined when the file does not exist. */
export async function readCredentialsFile(
  env: Record<string, string | undefined>,
  homeDir: string,
): Promise<SdkCredentialsFile | undefined> {
  const path = credentialsFilePath(env, homeDir);
  let text: string;
  try {
    const read = readTrustedFile(path, SDK_FILE_TRUST);
    if (read === undefined) return undefined;
    text = read.text;
  } catch (err) {
    if (err instanceof HssError) throw err;
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOTDIR') return undefined;
    throw new Error(`cannot read credentials file ${path}${code ? ` (${code})` : ''}`, { cause: err });
  }
  let sections: Record<string, Record<string, string>>;
  try {
    sections = parseCredentialsIni(text);
  } catch (err) {
    if (err instanceof IniSyntaxError) throw new Error(`credentials file ${path}: ${err.message}`);
    throw err;
  }
  const basic = sections['basic'] ?? {};
  const result: SdkCredentialsFile = { path };
  const pick = (key: string) => {
    const value = basic[key];
    return value === undefined || value === '' ? undefined : value;
  };
  const fields: [keyof Omit<SdkCredentialsFile, 'path'>, string][] = [
    ['accessKey', 'ak'],
    ['secretKey', 'sk'],
    ['projectId', 'project_id'],
    ['securityToken', 'security_token'],
    ['iamEndpoint', 'iam_endpoint'],
  ];
  for (const [field, key] of fields) {
    const value = pick(key);
    if (value !== undefined) result[field] = value;
  }
  return result;
}
