/**
 * mutate.config.json names the modules under mutation testing (`npm run mutate`, docs/testing.md) by
 * path. A module that moves must be renamed there, and each must keep unit tests of its own: the
 * mutation run uses the unit tests that import the module, found by scripts/mutate-targets.mjs.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSpecifiers, readMutateConfig, testsFor } from '../../scripts/mutate-targets.mjs';
import { ROOT, tempDir } from '../helpers/cli.js';

describe('mutate.config.json', () => {
  const config = readMutateConfig(ROOT);

  it('names modules that exist, each imported by unit tests of its own', () => {
    expect(config.modules.length).toBeGreaterThan(0);
    for (const { module } of config.modules) {
      expect(existsSync(path.join(ROOT, module)), `${module} moved? rename it in mutate.config.json`).toBe(
        true,
      );
      const found = testsFor(ROOT, module, config.testDir);
      expect(found.through, `no test under ${config.testDir} imports ${module} itself`).toBe(false);
      expect(found.tests.length).toBeGreaterThan(0);
    }
  });

  it('marks the secret-masking and signing modules for the run in CI', () => {
    const ci = config.modules.filter((m) => m.ci).map((m) => path.basename(m.module));
    expect(ci.sort()).toEqual(['redact.ts', 'signer.ts']);
    for (const m of config.modules.filter((t) => t.ci)) expect(m.thresholds.break, m.module).toBe(100);
  });
});

describe('finding the tests of a module', () => {
  it('reads static, side-effect, re-exported and dynamic imports, relative ones only', () => {
    const source = [
      "import { a } from '../src/a.js';",
      'import "./side.js";',
      "export { b } from '../src/b.js';",
      "const c = await import('../src/c.js');",
      "import type { D } from '../src/d.js';",
      "import fc from 'fast-check';",
      "import { readFileSync } from 'node:fs';",
    ].join('\n');
    expect(importSpecifiers(source)).toEqual([
      '../src/a.js',
      './side.js',
      '../src/b.js',
      '../src/c.js',
      '../src/d.js',
    ]);
  });

  it('finds the tests that import a module, and falls back to those that reach it through src/', () => {
    const root = tempDir();
    const file = (name: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      writeFileSync(path.join(root, name), text);
    };
    file('src/core/rule.ts', 'export const r = 1;\n');
    file('src/core/uses-rule.ts', "export { r } from './rule.js';\n");
    file('src/other.ts', 'export const o = 1;\n');
    file('test/unit/rule.test.ts', "import { r } from '../../src/core/rule.js';\n");
    file('test/unit/deep/rule-again.test.ts', "const m = await import('../../../src/core/rule.js');\n");
    file('test/unit/uses.test.ts', "import { r } from '../../src/core/uses-rule.js';\n");
    file('test/unit/other.test.ts', "import { o } from '../../src/other.js';\n");
    file('test/unit/helper.ts', "import { r } from '../../src/core/rule.js';\n");

    expect(testsFor(root, 'src/core/rule.ts', 'test/unit')).toEqual({
      tests: ['test/unit/deep/rule-again.test.ts', 'test/unit/rule.test.ts'],
      through: false,
    });
    expect(testsFor(root, 'src/core/uses-rule.ts', 'test/unit')).toEqual({
      tests: ['test/unit/uses.test.ts'],
      through: false,
    });
    file('src/core/only-used.ts', "export { o } from '../other.js';\nexport { r } from './uses-rule.js';\n");
    file('src/core/top.ts', "export * from './only-used.js';\n");
    file('test/unit/top.test.ts', "import * as top from '../../src/core/top.js';\n");
    expect(testsFor(root, 'src/core/only-used.ts', 'test/unit')).toEqual({
      tests: ['test/unit/top.test.ts'],
      through: true,
    });
  });
});
