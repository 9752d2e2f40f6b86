/**
 * Where the reports of `task retry --wait` and `task wait` go (--junit, --summary): each a file in an
 * existing folder, checked before anything is sent.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { quote } from '../core/text.js';

export interface ReportPaths {
  junit?: string;
  summary?: string;
}

/** --junit and --summary of `task retry --wait` and `task wait`, each a file in an existing folder. */
export function reportPaths(opts: { junit?: string | undefined; summary?: string | undefined }): ReportPaths {
  const reports: ReportPaths = {};
  if (opts.junit !== undefined) reports.junit = checkReportPath(opts.junit, '--junit');
  if (opts.summary !== undefined) reports.summary = checkReportPath(opts.summary, '--summary');
  if (reports.junit !== undefined && reports.junit === reports.summary) {
    throw new UsageError(`--junit and --summary name the same file ${quote(reports.junit)}; give two files`);
  }
  return reports;
}

function checkReportPath(file: string, label: string): string {
  if (file.trim() === '') throw new UsageError(`${label} "": needs a file name`);
  const dir = path.dirname(path.resolve(file));
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new UsageError(`${label} ${quote(file)}: folder ${quote(dir)} does not exist`);
  try {
    if (statSync(file).isDirectory())
      throw new UsageError(`${label} ${quote(file)}: is a folder, not a file`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
  }
  return file;
}
