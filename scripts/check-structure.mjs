// The shape of src/ (docs/architecture.md), checked by `npm run lint`: no file over 300 lines, no
// function over 80 lines (long text templates excepted), and imports that point down the layers —
// core imports only core; api and settings never import each other; no command imports another
// command's folder; nothing below the CLI imports a value of src/cli/ (types, like Context, are the
// handler's signature). Prints each offender and exits 1 when there is one.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 80;

const files = readdirSync(path.join(ROOT, 'src'), { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => path.join(ROOT, 'src', f));

const problems = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const name = path.relative(ROOT, file);
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (lines > MAX_FILE_LINES) problems.push(`${name}: ${lines} lines (at most ${MAX_FILE_LINES})`);
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.end).line;
      // A generated text (a shell script, a page of help) is one long template: its lines are text.
      let templateLines = 0;
      const templates = (inner) => {
        if (ts.isTemplateExpression(inner) || ts.isNoSubstitutionTemplateLiteral(inner)) {
          const from = source.getLineAndCharacterOfPosition(inner.getStart(source)).line;
          templateLines += source.getLineAndCharacterOfPosition(inner.end).line - from;
        } else ts.forEachChild(inner, templates);
      };
      templates(node.body);
      const template = templateLines * 2 > end - start;
      if (end - start + 1 > MAX_FUNCTION_LINES && !template) {
        const fn = node.name?.getText(source) ?? '(anonymous)';
        problems.push(
          `${name}:${start + 1}: function ${fn} is ${end - start + 1} lines (at most ${MAX_FUNCTION_LINES})`,
        );
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
/** The layer of a file of src/: `core`, `api`, …, or `commands/<group>` for a command's folder. */
function layer(file) {
  const parts = path.relative(path.join(ROOT, 'src'), file).split(path.sep);
  if (parts[0] === 'commands' && parts.length > 2) return `commands/${parts[1]}`;
  return parts[0];
}

const FORBIDDEN = [
  [(from, to) => from === 'core' && to !== 'core', 'core imports only core'],
  [(from, to) => from === 'api' && to === 'settings', 'api/ never imports settings/'],
  [(from, to) => from === 'settings' && to === 'api', 'settings/ never imports api/'],
  [
    (from, to) => from.startsWith('commands/') && to.startsWith('commands/') && from !== to,
    "a command never imports another command's folder",
  ],
];

for (const file of files) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const from = layer(file);
  const check = (specifier, typeOnly) => {
    if (!specifier.startsWith('.')) return;
    const target = path.resolve(path.dirname(file), specifier);
    if (!target.startsWith(path.join(ROOT, 'src'))) return;
    const to = layer(target);
    const name = path.relative(ROOT, file);
    for (const [broken, rule] of FORBIDDEN) {
      if (broken(from, to)) problems.push(`${name}: imports ${specifier}: ${rule}`);
    }
    if (to === 'cli' && from !== 'cli' && !typeOnly) {
      problems.push(`${name}: imports ${specifier}: only types of src/cli/ are imported below it`);
    }
  };
  const visit = (node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      if (node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        const clause = ts.isImportDeclaration(node) ? node.importClause : node;
        check(node.moduleSpecifier.text, Boolean(clause?.isTypeOnly));
      }
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteral(arg)) check(arg.text, false);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      check(node.argument.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

for (const p of problems) console.error(p);
process.exitCode = problems.length ? 1 : 0;
