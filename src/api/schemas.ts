/**
 * The API's documented limits as zod schemas: request bodies, identifiers and API responses. Messages
 * name the rule; callers prefix them with the value they were given. (The profile store's schema is
 * src/settings/store-schema.ts.)
 */
import * as z from 'zod';
import { fromRule } from '../core/rule-schema.js';
import { ClusterId as ClusterIdRule } from '../core/rules.js';
import { quote } from '../core/text.js';
import { MAX_CLUSTERS, SCAN_TYPES, type ScanType } from '../core/vocabulary.js';

export {
  ClusterId,
  EnterpriseProjectId,
  firstIssue,
  ProfileName,
  ProjectId,
  TaskId,
  TaskNameFilter,
  Token,
} from '../core/rules.js';
export {
  AUTH_KINDS,
  type AuthKind,
  MAX_CLUSTERS,
  SCAN_TYPES,
  type ScanType,
  TASK_STATUSES,
  TRIGGER_TYPES,
} from '../core/vocabulary.js';

export const ScanTypeSchema = z.enum(SCAN_TYPES, {
  error: (iss) => `scan type ${quote(String(iss.input))} is not one of ${SCAN_TYPES.join(', ')}`,
});

export const ScanTypeList = z
  .array(ScanTypeSchema)
  .min(1, { error: 'needs at least one scan type' })
  .max(3, { error: (iss) => `has ${(iss.input as unknown[]).length} scan types; the limit is 1–3` })
  .refine((list) => new Set(list).size === list.length, { error: 'names a scan type twice' });

export const ClusterInfo = z.object({
  cluster_id: fromRule(ClusterIdRule),
  scan_type_list: ScanTypeList.optional(),
});
export type ClusterInfo = z.infer<typeof ClusterInfo>;

export const ClusterInfoList = z
  .array(ClusterInfo)
  .min(1, { error: 'needs at least one cluster' })
  .max(MAX_CLUSTERS, {
    error: (iss) =>
      `${(iss.input as unknown[]).length} clusters given; the limit is 1–${MAX_CLUSTERS} per request`,
  })
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    for (const item of list) {
      if (seen.has(item.cluster_id)) {
        ctx.addIssue({
          code: 'custom',
          message: `cluster ${quote(item.cluster_id)} is given twice`,
        });
        return;
      }
      seen.add(item.cluster_id);
    }
  });

export const RetryBody = z.object({
  task_type: z.literal('cluster_scan'),
  cluster_scan_info: z.discriminatedUnion('range_type', [
    z.strictObject({ range_type: z.literal('all_failed_cluster') }),
    z.strictObject({ range_type: z.literal('specific_cluster'), cluster_info_list: ClusterInfoList }),
  ]),
});
export type RetryBody = z.infer<typeof RetryBody>;

/** The task types of the API: cluster scans, and IaC scans (Dockerfiles, Kubernetes YAML). */
export type TaskType = 'cluster_scan' | 'iac_scan';

/** CreateTask's body for a cluster scan; `cluster_id_list` only with specific_cluster. */
export interface CreateTaskBody {
  task_type: 'cluster_scan';
  cluster_scan_info:
    | { scan_type_list: ScanType[]; range_type: 'all_cluster' }
    | { scan_type_list: ScanType[]; range_type: 'specific_cluster'; cluster_id_list: string[] };
}

/*
 * ---------- API responses: validated before use; unknown fields pass through untouched. ----------
 * As in the official SDKs' models, every field may be missing: a missing total_num is the number of
 * entries received, a missing list is empty, and an entry without its ID is left out by the caller
 * (src/api/hss.ts). A field that is present must have its documented type.
 */

export const ClusterScanInfo = z.looseObject({
  scan_type_list: z.array(z.string()).optional(),
  scanning_cluster_num: z.number().optional(),
  success_cluster_num: z.number().optional(),
  failed_cluster_num: z.number().optional(),
});

export const IacScanInfo = z.looseObject({
  file_type: z.string().optional(),
  scan_file_num: z.number().optional(),
  success_file_num: z.number().optional(),
  failed_file_num: z.number().optional(),
});

export const TaskSummary = z.looseObject({
  task_id: z.string().optional(),
  task_type: z.string().optional(),
  task_name: z.string().optional(),
  trigger_type: z.string().optional(),
  task_status: z.string().optional(),
  start_time: z.number().optional(),
  end_time: z.number().optional(),
  estimated_time: z.number().optional(),
  cluster_scan_info: ClusterScanInfo.optional(),
  /** IaC scan tasks (task_type iac_scan) carry this instead of cluster_scan_info. */
  iac_scan_info: IacScanInfo.optional(),
});
/** A task as hss uses it: one the API gave with its ID. */
export interface TaskSummary extends z.infer<typeof TaskSummary> {
  task_id: string;
}

export const ListTasksResponse = z.looseObject({
  total_num: z.number().int().nonnegative().optional(),
  data_list: z.array(TaskSummary).default([]),
});

export const ScanDetail = z.looseObject({
  scan_type: z.string().optional(),
  status: z.string().optional(),
  failed_reason: z.string().optional(),
});
/** A scan item as hss uses it: one that names its scan type. */
export interface ScanDetail extends z.infer<typeof ScanDetail> {
  scan_type: string;
}

export const ClusterResult = z.looseObject({
  cluster_id: z.string().optional(),
  cluster_name: z.string().optional(),
  cluster_type: z.string().optional(),
  cluster_version: z.string().optional(),
  scan_status: z.string().optional(),
  start_time: z.number().optional(),
  end_time: z.number().optional(),
  scan_detail_list: z.array(ScanDetail).default([]),
});
/** A cluster's results as hss uses them: one the API gave with its ID, and its scan items that name a type. */
export interface ClusterResult extends z.infer<typeof ClusterResult> {
  cluster_id: string;
  scan_detail_list: ScanDetail[];
}

export const ListTaskResourcesResponse = z.looseObject({
  total_num: z.number().int().nonnegative().optional(),
  cluster_scan_data_list: z.array(ClusterResult).default([]),
});

/** One file of an IaC scan task (ListTaskResources with task_type iac_scan). */
export const IacFileResult = z.looseObject({
  file_id: z.string().optional(),
  file_name: z.string().optional(),
  file_type: z.string().optional(),
  chart_name: z.string().optional(),
  file_size: z.number().optional(),
  scan_status: z.string().optional(),
  failed_reason: z.string().optional(),
  start_time: z.number().optional(),
  end_time: z.number().optional(),
});
/** A file's results as hss uses them: one the API gave with its ID. */
export interface IacFileResult extends z.infer<typeof IacFileResult> {
  file_id: string;
}

export const ListIacFilesResponse = z.looseObject({
  total_num: z.number().int().nonnegative().optional(),
  iac_scan_data_list: z.array(IacFileResult).default([]),
});

export const CreateTaskResponse = z.looseObject({ task_id: z.string().min(1) });

export const TaskStatisticsResponse = z.looseObject({
  total_num: z.number().optional(),
  running_num: z.number().optional(),
  last_task_start_time: z.number().optional(),
});
export type TaskStatistics = z.infer<typeof TaskStatisticsResponse>;
