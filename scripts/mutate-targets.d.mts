// Types of mutate-targets.mjs, for the test that keeps mutate.config.json in step with src/ and test/.

export interface Thresholds {
  high: number;
  low: number;
  break: number;
}

export interface MutateTarget {
  module: string;
  ci: boolean;
  thresholds: Thresholds;
}

export function importSpecifiers(source: string): string[];

export function resolveSpecifier(fromFile: string, spec: string): string | undefined;

export function testsFor(
  root: string,
  module: string,
  testDir: string,
): { tests: string[]; through: boolean };

export function readMutateConfig(root: string): {
  testDir: string;
  thresholds: Thresholds;
  modules: MutateTarget[];
};
