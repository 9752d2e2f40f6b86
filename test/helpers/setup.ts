/**
 * Runs before each test file. The CLI loads the schemas of the profile store and the credential cache
 * (and zod) before it reads either (src/cli/main.ts → prepareContext), so a run without those files never
 * loads zod; tests that call readStore, parseStore, readCache, resolveSettings or createContext
 * directly get them loaded here instead.
 */
import { loadCacheSchema } from '../../src/auth/cache.js';
import { loadStoreSchema } from '../../src/settings/store.js';

await Promise.all([loadStoreSchema(), loadCacheSchema()]);
