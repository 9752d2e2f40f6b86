/**
 * What the profile commands share: the rule of a profile name, and finding a profile or saying which
 * exist.
 */

import { ConfigError, UsageError } from '../../core/errors.js';
import { firstIssue, ProfileName } from '../../core/rules.js';
import { quote } from '../../core/text.js';
import { findProfile } from '../../settings/store.js';
import type { Profile, StoreFile } from '../../settings/store-schema.js';

export function checkName(name: string): string {
  const parsed = ProfileName.safeParse(name);
  if (!parsed.success) throw new UsageError(`profile name ${quote(name)}: ${firstIssue(parsed.error)}`);
  return name;
}

export function requireProfile(store: StoreFile, name: string): Profile {
  const profile = findProfile(store, name);
  if (!profile) {
    const known = Object.keys(store.profiles);
    throw new ConfigError(`unknown profile ${quote(name)}`, {
      hint: known.length
        ? `known profiles: ${known.join(', ')}`
        : 'create one with `hss profile set NAME --region …`',
    });
  }
  return profile;
}

/** A profile name that must not be taken yet (the target of rename and copy). */
export function requireFree(store: StoreFile, name: string, verb: string): void {
  if (findProfile(store, name)) {
    throw new UsageError(`profile ${quote(name)} already exists; ${verb} refuses to overwrite it`, {
      hint: `choose another name, or remove it first: \`hss profile remove ${name}\``,
    });
  }
}
