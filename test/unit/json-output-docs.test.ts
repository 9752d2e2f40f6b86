/**
 * docs/json-output.md lists the fields of each JSON document; the types the commands return declare
 * them (src/tasks/documents.ts, src/output/error-json.ts, and the handlers of the profile, config
 * and sandbox commands). This reads both — the types with the
 * TypeScript compiler, the docs' field lists as the nested bullets of each section — and fails when a
 * field is in one and not the other.
 *
 * The rule, level by level: every field a type declares is listed, and every field listed is
 * declared. A field whose value is one of the documents' own objects lists that object's fields
 * under it (or in the section of its own, as `error` does in "Errors"); a field whose value is an
 * object the API returns (a task, a cluster, a request body) may list them, and is checked where it
 * does.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const DOCS = 'docs/json-output.md';
const TASK_DOCUMENTS = 'src/tasks/documents.ts';
const ERROR_DOCUMENTS = 'src/output/error-json.ts';
const COMMAND_DOCUMENTS = 'src/commands/documents.ts';
const PROFILE_LIST = 'src/commands/profile/list/index.ts';
const PROFILE_SHOW = 'src/commands/profile/show/index.ts';
const PROFILE_SET = 'src/commands/profile/set/index.ts';
const CONFIG_SHOW = 'src/commands/config/show/index.ts';
const SANDBOX = 'src/commands/sandbox/index.ts';
const DOCUMENT_FILES = [
  TASK_DOCUMENTS,
  ERROR_DOCUMENTS,
  PROFILE_LIST,
  PROFILE_SHOW,
  PROFILE_SET,
  CONFIG_SHOW,
  SANDBOX,
  COMMAND_DOCUMENTS,
  'src/auth/credential-check.ts',
];

/** Each checked section of the docs, by its heading, and the type of its document. */
const SECTIONS: ReadonlyArray<{ heading: string; file: string; type: string }> = [
  { heading: '`hss task retry`', file: TASK_DOCUMENTS, type: 'RetryRunDocument' },
  { heading: '`--dry-run`', file: TASK_DOCUMENTS, type: 'DryRunDocument' },
  { heading: '`hss task list`', file: TASK_DOCUMENTS, type: 'TaskListDocument' },
  { heading: '`hss task show`', file: TASK_DOCUMENTS, type: 'TaskShowDocument' },
  { heading: '`hss task wait`', file: TASK_DOCUMENTS, type: 'TaskWaitDocument' },
  { heading: '`hss task show` of an IaC scan task', file: TASK_DOCUMENTS, type: 'IacTaskShowDocument' },
  { heading: '`hss task create`', file: TASK_DOCUMENTS, type: 'TaskCreateDocument' },
  { heading: '`hss task stats`', file: TASK_DOCUMENTS, type: 'TaskStatsDocument' },
  { heading: '`hss task wait` with several task IDs', file: TASK_DOCUMENTS, type: 'TaskWaitManyDocument' },
  { heading: 'Errors', file: ERROR_DOCUMENTS, type: 'ErrorDocument' },
  { heading: '`hss auth status`', file: COMMAND_DOCUMENTS, type: 'AuthStatusDocument' },
  { heading: '`hss api`', file: COMMAND_DOCUMENTS, type: 'ApiDryRunDocument' },
  { heading: '`hss configure`', file: COMMAND_DOCUMENTS, type: 'ConfigureDocument' },
  { heading: '`hss profile rename`', file: COMMAND_DOCUMENTS, type: 'ProfileRenameDocument' },
  { heading: '`hss profile copy`', file: COMMAND_DOCUMENTS, type: 'ProfileCopyDocument' },
  { heading: '`hss profile remove`', file: COMMAND_DOCUMENTS, type: 'ProfileRemoveDocument' },
  { heading: '`hss version`', file: COMMAND_DOCUMENTS, type: 'VersionDocument' },
  { heading: '`hss profile list`', file: PROFILE_LIST, type: 'ProfileListDocument' },
  { heading: '`hss profile show`', file: PROFILE_SHOW, type: 'ProfileShowDocument' },
  { heading: '`hss profile set`', file: PROFILE_SET, type: 'ProfileSetDocument' },
  { heading: '`hss config show`', file: CONFIG_SHOW, type: 'ConfigShowDocument' },
  { heading: '`hss sandbox --json`', file: SANDBOX, type: 'SandboxDocument' },
];
/** Objects whose fields a section of their own lists. */
const LISTED_ON_THEIR_OWN = new Set(['ErrorJson']);

/* ---------- the docs: a section's bullets, as a tree of field names ---------- */

type FieldTree = Map<string, FieldTree>;

/** The lines of the section under `## <heading>`, up to the next heading of that level. */
function section(markdown: string, heading: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(`## ${heading}`);
  if (start < 0) throw new Error(`${DOCS} has no section "## ${heading}"`);
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

const BULLET = /^( *)[*-] (.*)$/;
/** `` `a`, `b`: what they are `` → a, b: the names a bullet begins with, up to its colon. */
const FIELD_BULLET = /^(`[a-z_]+`(?:, `[a-z_]+`)*)(?::.*)?$/s;

/** The section's bullets, each with the lines that continue it, as a tree of the fields they name. */
function fieldTree(lines: string[]): FieldTree {
  const bullets: Array<{ depth: number; text: string }> = [];
  for (const line of lines) {
    const bullet = BULLET.exec(line);
    const last = bullets.at(-1);
    if (bullet) bullets.push({ depth: (bullet[1] ?? '').length, text: bullet[2] ?? '' });
    else if (last && line.startsWith(' '.repeat(last.depth + 2))) last.text += ` ${line.trim()}`;
  }
  const root: FieldTree = new Map();
  const open: Array<{ depth: number; children: FieldTree }> = [{ depth: -1, children: root }];
  for (const { depth, text } of bullets) {
    const names = FIELD_BULLET.exec(text)?.[1];
    if (!names) throw new Error(`${DOCS}: a bullet of a field list names no fields: "${text}"`);
    while ((open.at(-1)?.depth ?? -1) >= depth) open.pop();
    const parent = open.at(-1)?.children ?? root;
    let children: FieldTree = new Map();
    for (const name of names.split(', ').map((n) => n.slice(1, -1))) {
      children = parent.get(name) ?? new Map();
      parent.set(name, children);
    }
    open.push({ depth, children });
  }
  return root;
}

/* ---------- the types, as the compiler reads them ---------- */

/** A compiler program of the document files; `replace` stands in for a file's text. */
function documentTypes(replace: Record<string, string> = {}) {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const replaced = new Map(Object.entries(replace).map(([file, text]) => [path.join(ROOT, file), text]));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, onError) => {
    const text = replaced.get(path.resolve(file));
    return text === undefined
      ? getSourceFile(file, language, onError)
      : ts.createSourceFile(file, text, language);
  };
  const program = ts.createProgram(
    DOCUMENT_FILES.map((f) => path.join(ROOT, f)),
    options,
    host,
  );
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length > 0) {
    throw new Error(ts.formatDiagnostics(diagnostics, { ...host, getNewLine: () => '\n' }));
  }
  const checker = program.getTypeChecker();

  const declared = (file: string, name: string): ts.Type => {
    const source = program.getSourceFile(path.join(ROOT, file));
    const module = source && checker.getSymbolAtLocation(source);
    const symbol = module && checker.getExportsOfModule(module).find((s) => s.name === name);
    if (!symbol) throw new Error(`${file} exports no ${name}`);
    return checker.getDeclaredTypeOfSymbol(symbol);
  };

  /** The objects a value can be: each member of a union, the element of an array. */
  const objects = (type: ts.Type): ts.Type[] => {
    const value = checker.getNonNullableType(type);
    if (value.isUnion()) return value.types.flatMap(objects);
    if (checker.isArrayType(value))
      return checker.getTypeArguments(value as ts.TypeReference).flatMap(objects);
    return value.flags & ts.TypeFlags.Object && checker.getPropertiesOfType(value).length > 0 ? [value] : [];
  };

  /** The fields of a value's objects, each with the types it may hold. */
  const fields = (types: ts.Type[]): Map<string, ts.Type[]> => {
    const out = new Map<string, ts.Type[]>();
    for (const object of types.flatMap(objects)) {
      for (const property of checker.getPropertiesOfType(object)) {
        out.set(property.name, [...(out.get(property.name) ?? []), checker.getTypeOfSymbol(property)]);
      }
    }
    return out;
  };

  /** The documents' own objects among a value's, by name: those must have their fields listed. */
  const ownObjects = (types: ts.Type[]): string[] =>
    types.flatMap(objects).flatMap((object) => {
      const symbol = object.aliasSymbol ?? object.getSymbol();
      const file = symbol?.declarations?.[0]?.getSourceFile().fileName ?? '';
      const own = DOCUMENT_FILES.some((f) => path.resolve(file) === path.join(ROOT, f));
      return own && symbol && !LISTED_ON_THEIR_OWN.has(symbol.name) ? [symbol.name] : [];
    });

  /** Where the docs and the type of a section disagree, one line each. */
  const disagreements = (file: string, type: string, listed: FieldTree): string[] => {
    const problems: string[] = [];
    const compare = (tree: FieldTree, types: ts.Type[], at: string) => {
      const declaredFields = fields(types);
      for (const name of declaredFields.keys()) {
        if (!tree.has(name)) problems.push(`${at}${name}: declared in ${type}, not listed in ${DOCS}`);
      }
      for (const [name, children] of tree) {
        const held = declaredFields.get(name);
        if (!held) problems.push(`${at}${name}: listed in ${DOCS}, not declared in ${type}`);
        else if (children.size > 0) compare(children, held, `${at}${name}.`);
        else {
          for (const own of ownObjects(held))
            problems.push(`${at}${name}: the fields of ${own} are not listed under it in ${DOCS}`);
        }
      }
    };
    compare(listed, [declared(file, type)], '');
    return problems;
  };
  return { disagreements };
}

/* ---------- the check ---------- */

const markdown = readFileSync(path.join(ROOT, DOCS), 'utf8');

function disagreementsOf(types: ReturnType<typeof documentTypes>, docs: string): string[] {
  return SECTIONS.flatMap(({ heading, file, type }) =>
    types.disagreements(file, type, fieldTree(section(docs, heading))).map((p) => `${heading}: ${p}`),
  );
}

describe(`${DOCS} and the types of the documents`, () => {
  const types = documentTypes();

  it('list the same fields, section by section', () => {
    expect(disagreementsOf(types, markdown)).toEqual([]);
  });

  it('the check sees a field the docs list and no type declares', () => {
    const docs = markdown.replace('  * `task_id`, `ok`\n', '  * `task_id`, `ok`, `attempts`\n');
    expect(docs).not.toBe(markdown);
    expect(disagreementsOf(types, docs)).toEqual([
      '`hss task retry`: results.attempts: listed in docs/json-output.md, not declared in RetryRunDocument',
    ]);
  });

  it('the check sees a field dropped from the docs, nested ones too', () => {
    const docs = markdown
      .replace('* `ok`, `dry_run`\n', '* `ok`\n')
      .replace('    * `scan_type`, `status`, `failed_reason`\n', '    * `scan_type`, `status`\n');
    expect(disagreementsOf(types, docs)).toEqual([
      '`--dry-run`: dry_run: declared in DryRunDocument, not listed in docs/json-output.md',
      '`hss task show`: clusters.scan_detail_list.failed_reason: declared in TaskShowDocument, not listed in docs/json-output.md',
    ]);
  });

  it("the check sees an object of the documents' own listed without its fields", () => {
    const docs = markdown.replace('  * `method`, `url`, `headers`, `body`\n', '');
    expect(docs).not.toBe(markdown);
    expect(disagreementsOf(types, docs)).toEqual([
      '`--dry-run`: requests: the fields of DryRunRequest are not listed under it in docs/json-output.md',
    ]);
  });

  it('the check sees a field a type declares and the docs do not list', () => {
    const source = readFileSync(path.join(ROOT, TASK_DOCUMENTS), 'utf8');
    const changed = source.replace(
      '  request_id?: string;\n',
      '  request_id?: string;\n  attempts?: number;\n',
    );
    expect(changed).not.toBe(source);
    const errorSource = readFileSync(path.join(ROOT, ERROR_DOCUMENTS), 'utf8');
    const errorChanged = errorSource.replace(
      '  hint?: string;\n',
      '  hint?: string;\n  retry_after?: number;\n',
    );
    expect(errorChanged).not.toBe(errorSource);
    const altered = documentTypes({ [TASK_DOCUMENTS]: changed, [ERROR_DOCUMENTS]: errorChanged });
    // The error object is checked once, in its own section.
    expect(disagreementsOf(altered, markdown)).toEqual([
      '`hss task retry`: results.attempts: declared in RetryRunDocument, not listed in docs/json-output.md',
      'Errors: error.retry_after: declared in ErrorDocument, not listed in docs/json-output.md',
    ]);
  });
});
