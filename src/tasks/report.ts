/**
 * The CI reports of `task retry --wait` and `task wait`: JUnit XML (--junit, written to a temporary
 * file then renamed, so a reader never sees half a report) and a Markdown summary (--summary,
 * appended, as GitHub's $GITHUB_STEP_SUMMARY expects). Loaded only when one is asked for.
 */
import { appendFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type HssError } from '../core/errors.js';
import { quote } from '../core/text.js';
import type { FollowOutcome } from './follow.js';
import { junitReport } from './report-junit.js';
import type { ReportPaths } from './report-paths.js';
import { summaryReport } from './report-summary.js';

/** One task as the reports see it: how following it ended, or why it was not followed. */
export interface ReportTask {
  taskId: string;
  /** The region of its project (or the project ID when no region is set): `cn-north-4`. */
  region: string;
  outcome?: FollowOutcome;
  /** The retry was refused, or following it failed. */
  error?: HssError;
  /** Rounds of retries made (--rounds). */
  rounds?: number;
}

export interface ReportContext {
  /** The command line's name for the report, e.g. `hss task retry`. */
  title: string;
  /** Epoch ms, for the report's timestamp. */
  now: number;
  /** Why there is no task to report on, when there is none (`no task started since 12h has …`). */
  empty?: string;
}

/** Writes the reports asked for; a file that cannot be written is a configuration error (exit 3). */
export function writeReports(paths: ReportPaths, tasks: ReportTask[], context: ReportContext): void {
  if (paths.junit !== undefined) writeReplacing(paths.junit, junitReport(tasks, context), '--junit');
  if (paths.summary !== undefined) {
    const file = paths.summary;
    guard(file, '--summary', () => appendFileSync(file, summaryReport(tasks, context)));
  }
}

/** A temporary file beside the target, renamed over it: the report appears whole or not at all. */
function writeReplacing(file: string, text: string, label: string): void {
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`,
  );
  guard(file, label, () => {
    try {
      writeFileSync(temp, text, { flag: 'wx' });
      renameSync(temp, file);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
  });
}

function guard(file: string, label: string, write: () => void): void {
  try {
    write();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError(`${label} ${quote(file)}: cannot write the report: ${code}`, {
      hint: 'point it at a file in a folder you can write',
    });
  }
}
