// Types of check-dynamic-builtins.mjs, for the tests that run the check.
import type ts from 'typescript';

export interface DynamicBuiltinImport {
  file: string;
  /** 0-based, as in source maps. */
  line: number;
  column: number;
  /** `node:x` */
  id: string;
  /** The export names the code takes, sorted. */
  names?: string[];
  /** Why the code does not show which exports it takes. */
  unknown?: string;
}

export function dynamicBuiltinImports(
  typescript: typeof ts,
  file: string,
  text: string,
): DynamicBuiltinImport[];

export function checkDynamicBuiltins(options: {
  ts: typeof ts;
  src: string;
  dist: string;
  root?: string;
}): string[];
