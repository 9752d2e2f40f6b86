/**
 * `hss profile list`: the profiles of the store, the current one marked.
 */
import { table } from '../../../output/table.js';
import type { Handler } from '../../define.js';
import type { spec } from './command.js';

/** What `profile list --json` prints. */
export interface ProfileListDocument {
  ok: true;
  current: string | null;
  profiles: Array<{
    name: string;
    current: boolean;
    region: string | undefined;
    project_id: string | undefined;
    auth: string | undefined;
    endpoint: string | undefined;
  }>;
}

const profileList: Handler<typeof spec> = async (_input, ctx) => {
  const store = ctx.readStore();
  const profiles = Object.entries(store.profiles).map(([name, p]) => ({
    name,
    current: store.current === name,
    region: p.region,
    project_id: p.project_id,
    auth: p.auth ?? (p.token ? 'token' : undefined),
    endpoint: p.endpoint,
  }));
  const data: ProfileListDocument = { ok: true, current: store.current ?? null, profiles };
  return {
    data,
    text: (s) => {
      if (profiles.length === 0) return 'no profiles yet; create one with `hss profile set NAME --region …`';
      const rows = profiles.map((p) => [
        p.current ? '*' : ' ',
        p.name,
        p.region ?? '-',
        p.project_id ?? '-',
        p.auth ?? '-',
        p.endpoint ?? '',
      ]);
      return table(['', 'NAME', 'REGION', 'PROJECT ID', 'AUTH', 'ENDPOINT'], rows, s.bold);
    },
    ids: profiles.map((p) => p.name),
    exitCode: 0,
  };
};
export default profileList;
