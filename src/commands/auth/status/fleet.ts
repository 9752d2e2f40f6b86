/**
 * `hss auth status --region a,b|all [--all-projects]`: the credential checked in every project a
 * command across regions would reach (the morning job's pre-flight), with one ShowTaskStatistics each,
 * in parallel up to --concurrency. A project that refuses it is reported (`errors[]`, the closing
 * error) and the others are checked; the exit code is the highest (4 when one refuses).
 */
import type { ChalkInstance } from 'chalk';
import type { CredentialCheck } from '../../../auth/credential-check.js';
import { CHECK_OPERATION, checkDocument, checkRequest } from '../../../auth/verify.js';
import type { Context } from '../../../cli/context.js';
import type { HssError } from '../../../core/errors.js';
import type { ProjectErrorDocument } from '../../../tasks/documents.js';
import { fleetError, forEachProject } from '../../../tasks/fleet.js';

export interface ProjectChecks {
  /** The checks the projects accepted, in the order the projects were selected. */
  checks: CredentialCheck[];
  errors: ProjectErrorDocument[];
  /** The closing error when a project refused; its exit code is the highest. */
  closing: HssError | undefined;
  /** `cn-north-4_dev (project 8c4a…)`, a line each, for the text view. */
  lines(s: ChalkInstance): string[];
}

export async function checkEveryProject(
  ctx: Context,
  concurrency: number | undefined,
): Promise<ProjectChecks> {
  const spinner = await ctx.renderer.spinner('Checking the credential in every project…');
  let outcome: Awaited<ReturnType<typeof forEachProject<CredentialCheck>>>;
  try {
    outcome = await forEachProject(
      ctx,
      async (project, api) =>
        checkDocument(api.target, project.region, await api.send(checkRequest(api.target, project.region))),
      concurrency === undefined ? {} : { concurrency },
    );
  } finally {
    spinner.stop();
  }
  const accepted = outcome.results;
  return {
    checks: accepted.map(({ value }) => value),
    errors: outcome.errors,
    closing: fleetError(outcome),
    lines: (s) => {
      const where =
        outcome.errors.length === 0
          ? accepted.length === 1
            ? 'the 1 project'
            : `all ${accepted.length} projects`
          : `${accepted.length} of ${outcome.asked} projects (the others below)`;
      const mark = outcome.errors.length === 0 ? s.green('✔') : s.red('✖');
      const each = accepted.map(
        ({ project, value }) => `  ${project.name} (project ${project.projectId}) at ${value.endpoint}`,
      );
      return [`${mark} accepted by ${CHECK_OPERATION} in ${where}`, ...each];
    },
  };
}
