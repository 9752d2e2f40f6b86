// The size limits of src/ (docs/architecture.md): no file over 300 lines, no function over 80 lines
// (text templates excepted: a function whose body is one template literal). Prints each offender and
// exits 1 when there is one; `node scripts/check-sizes.mjs` in `npm run lint`.
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
for (const p of problems) console.error(p);
process.exitCode = problems.length ? 1 : 0;
