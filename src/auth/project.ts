/**
 * The project ID of a call when the settings name only a region: from the login token, else from IAM's
 * project list, remembered in the profile so the lookup happens once.
 */
import type { HttpClient } from '../api/http.js';
import { ConfigError, HssError } from '../core/errors.js';
import { firstIssue, ProjectId } from '../core/rules.js';
import { quote } from '../core/text.js';
import { describeSource } from '../settings/describe.js';
import { iamEndpointIsOneOff, type Settings } from '../settings/resolve.js';
import type { Resolved } from '../settings/source.js';
import { findProfile } from '../settings/store.js';
import type { StoreFile } from '../settings/store-schema.js';
import { authorizerFor, type Credential } from './credentials.js';
import { lookupProjectId } from './iam.js';

export interface ProjectLookup {
  settings: Settings;
  credential: Credential;
  http: HttpClient;
  /** Read-modify-write of the profile store (the context's, which Ctrl-C interrupts). */
  updateStore(mutate: (store: StoreFile) => void): Promise<StoreFile>;
  debug(line: string): void;
  warn(line: string): void;
  /** Send nothing (--dry-run): a project ID that needs IAM is an error instead. */
  offline?: boolean;
}

export function missingProjectId(): ConfigError {
  return new ConfigError('no project ID is set', {
    hint: 'pass --project-id, set HSS_PROJECT_ID, or `hss profile set NAME --project-id …`; with a region set, hss looks it up in IAM',
  });
}

/** The IAM endpoint to use with this credential: the settings', unless only the SDK credentials file names one. */
export function iamEndpointFor(settings: Settings, credential?: Credential): string {
  if (settings.iamEndpoint.source === 'default' && credential?.iamEndpoint) return credential.iamEndpoint;
  return settings.iamEndpoint.value;
}

async function remember(
  lookup: ProjectLookup,
  projectId: string,
  how: 'iam:login' | 'iam:projects',
  region?: string,
) {
  const { settings } = lookup;
  const name = settings.profileName.value;
  const stored = findProfile(settings.store, name);
  // Only a profile whose own region and IAM endpoint were used gets the ID: a --region or
  // --iam-endpoint for once must not rewrite it.
  if (!stored || stored.project_id || stored.region !== region || iamEndpointIsOneOff(settings)) return;
  try {
    await lookup.updateStore((store) => {
      const profile = findProfile(store, name);
      if (!profile || profile.project_id || profile.region !== region) return;
      profile.project_id = projectId;
      profile.project_id_source = how;
    });
    lookup.debug(`project ID ${projectId} (${how}) saved in profile ${name}`);
  } catch (error) {
    lookup.warn(
      `could not save the project ID in profile ${name}: ${error instanceof HssError ? error.message : String(error)}`,
    );
  }
}

export async function resolveProjectId(lookup: ProjectLookup): Promise<Resolved<string>> {
  const { settings, credential } = lookup;
  if (settings.projectId) return settings.projectId;
  const region = settings.region?.value;
  if (credential.projectId) {
    const parsed = ProjectId.safeParse(credential.projectId);
    if (!parsed.success) {
      throw new ConfigError(
        `the project ID ${quote(credential.projectId)} of the ${describeSource(credential.source)} is unusable: ${firstIssue(parsed.error)}`,
        { hint: 'pass --project-id, or log in again (`hss auth logout`, then `hss auth login`)' },
      );
    }
    const fromLogin = credential.source.startsWith('login:');
    const sameRegion =
      region === undefined || credential.projectName === undefined || credential.projectName === region;
    if (!fromLogin || sameRegion) {
      if (fromLogin) await remember(lookup, credential.projectId, 'iam:login', region);
      return { value: credential.projectId, source: credential.source };
    }
  }
  if (region === undefined) throw missingProjectId();
  if (lookup.offline) {
    throw new ConfigError(
      `no project ID is set, and --dry-run sends nothing, not even the IAM lookup for ${region}`,
      {
        hint: 'pass --project-id, or run once without --dry-run: hss remembers the ID it finds in the profile',
      },
    );
  }
  const iam = iamEndpointFor(settings, credential);
  lookup.debug(`no project ID set: asking IAM (${iam}) for the project of ${region}`);
  const projectId = await lookupProjectId(lookup.http, iam, region, authorizerFor(credential));
  await remember(lookup, projectId, 'iam:projects', region);
  return { value: projectId, source: 'iam:projects' };
}
