/**
 * `hss api METHOD PATH`: any call of the HSS (or IAM) API with the profile's credentials, as `gh api`
 * does for GitHub's. It goes through the HTTP client and the credential layer every command uses; only
 * the request is the user's.
 */
import type { ApiRequest, ApiResponse, Authorize } from '../../api/http.js';
import {
  answerJson,
  checkBody,
  checkMethod,
  checkPath,
  PROJECT_PLACEHOLDER,
  parseParams,
  type RawCall,
  rawRequest,
} from '../../api/raw-call.js';
import { authHintFor, authorizerFor } from '../../auth/credentials.js';
import { iamEndpointFor } from '../../auth/project.js';
import type { Context } from '../../cli/context.js';
import { UsageError } from '../../core/errors.js';
import { readFileLimited } from '../../core/io.js';
import { redactHeaders, redactJson } from '../../core/redact.js';
import type { Handler, Options } from '../define.js';
import type { ApiDryRunDocument } from '../documents.js';
import type { spec } from './command.js';

async function readBody(source: string, ctx: Context): Promise<string> {
  if (source === '-') return checkBody(await ctx.stdinText('--body -'), 'the body on standard input');
  if (source.startsWith('@')) {
    const file = source.slice(1);
    if (file === '') throw new UsageError('--body @: name the file after @, e.g. --body @body.json');
    return checkBody(readFileLimited(file, `--body file ${JSON.stringify(file)}`), `the body in ${file}`);
  }
  return checkBody(source, '--body');
}

async function parseCall(args: { method: string; path: string }, opts: Options<typeof spec>, ctx: Context) {
  const method = checkMethod(args.method);
  const path = checkPath(args.path);
  const params = parseParams(opts.param ?? []);
  if (opts.body !== undefined && method === 'GET') {
    throw new UsageError('GET takes no body', { hint: 'give query parameters with --param NAME=VALUE' });
  }
  const call: RawCall = { method, path, params };
  if (opts.body !== undefined) call.body = await readBody(opts.body, ctx);
  return call;
}

interface Prepared {
  request: ApiRequest;
  send(): Promise<ApiResponse>;
  headers(): Promise<Record<string, string>>;
}

/** An IAM call: the IAM endpoint, the credential, and the project only when the path names it. */
async function iamCall(call: RawCall, ctx: Context, offline: boolean): Promise<Prepared> {
  const credential = await ctx.credential();
  const base = iamEndpointFor(ctx.settings(), credential);
  const project = call.path.includes(PROJECT_PLACEHOLDER)
    ? (await ctx.projectId({ offline })).value
    : undefined;
  const request = rawRequest(call, base, project);
  const http = ctx.http(authHintFor(credential));
  const authorize: Authorize = authorizerFor(credential);
  return {
    request,
    send: () => http.send(request, authorize),
    headers: () => http.headersFor(request, authorize),
  };
}

/** An HSS call: the endpoint, project and enterprise project of every HSS command. */
async function hssCall(call: RawCall, ctx: Context, offline: boolean): Promise<Prepared> {
  const api = await ctx.hss({ offline });
  const { endpoint, projectId, enterpriseProject } = api.target;
  const params = [...call.params];
  if (enterpriseProject !== undefined && !params.some(([name]) => name === 'enterprise_project_id')) {
    params.push(['enterprise_project_id', enterpriseProject]);
  }
  const request = rawRequest({ ...call, params }, endpoint, projectId);
  return { request, send: () => api.send(request), headers: () => api.headersFor(request) };
}

const apiCall: Handler<typeof spec> = async ({ args, opts }, ctx) => {
  const call = await parseCall(args, opts, ctx);
  const dryRun = opts.dryRun === true;
  const prepared = opts.iam ? await iamCall(call, ctx, dryRun) : await hssCall(call, ctx, dryRun);
  const { request } = prepared;
  if (dryRun) {
    const data: ApiDryRunDocument = {
      ok: true,
      dry_run: true,
      requests: [
        {
          method: request.method,
          url: request.url.href,
          headers: redactHeaders(await prepared.headers()),
          body: request.body === undefined ? null : redactJson(JSON.parse(request.body)),
        },
      ],
    };
    return {
      data,
      text: (s) =>
        `${s.bold(`${request.method} ${request.url.href}`)}\n${Object.entries(data.requests[0]?.headers ?? {})
          .map(([k, v]) => `${k}: ${v}`)
          .join(
            '\n',
          )}\n${request.body === undefined ? '' : `\n${JSON.stringify(data.requests[0]?.body, null, 2)}\n`}${s.dim('(dry run: the request above was not sent)')}`,
      exitCode: 0,
    };
  }
  const answer = answerJson(await prepared.send(), request.operation);
  return {
    // The document is the API's answer as it came (null for an empty body), so --json and --query
    // see what the API reference describes.
    data: answer as object,
    text: () => (answer === null ? '' : JSON.stringify(answer, null, 2)),
    exitCode: 0,
  };
};
export default apiCall;
