/**
 * The API's fixed vocabularies and limits as plain values, free of zod: src/cli/program.ts builds `--help`
 * from them, and `--help` must not pay for loading zod. src/api/schemas.ts builds its schemas from these.
 */
export const SCAN_TYPES = ['cluster_vul', 'risk_assessment', 'benchmark'] as const;
export type ScanType = (typeof SCAN_TYPES)[number];
export const TASK_STATUSES = ['ready', 'running', 'finished'] as const;
export const TRIGGER_TYPES = ['manual', 'schedule'] as const;
export const MAX_CLUSTERS = 200;

export const AUTH_KINDS = ['token', 'aksk', 'password', 'command'] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];
