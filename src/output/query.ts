/**
 * `--query <jmespath>`: an expression applied to the document a command prints, as `aws --query` and
 * KooCLI's `--cli-query` take it. Loaded only when --query is given (the renderer imports it then).
 *
 * The expression is compiled, and the functions it calls looked up, when the renderer is created:
 * before the command runs, so a mistake in it is a usage error with nothing sent. What can only fail
 * on the document (a function given a value of the wrong type) fails after the command ran, and says so.
 *
 * The implementation is @jmespath-community/jmespath: a superset of the JMESPath specification that
 * aws implements (every aws query works), typed, maintained, without dependencies or install scripts,
 * and with its function table exported, which lets an unknown function be refused before anything is
 * sent.
 */
import { compile, isRegistered, type JSONValue, TreeInterpreter } from '@jmespath-community/jmespath';
import { UsageError } from '../core/errors.js';
import { escapeControls, escapeForTerminal, escapeJsonText } from '../core/escape.js';

export interface Query {
  readonly expression: string;
  /** What the expression selects of `document`; a UsageError when it cannot be applied to it. */
  apply(document: object): JSONValue;
}

type ExpressionNode = ReturnType<typeof compile>;

const SYNTAX_HINT =
  "JMESPath, as aws --query takes it: e.g. --query 'tasks[].task_id' (https://jmespath.org)";

function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
}

/** The names of the functions an expression calls (a literal's JSON is data, not calls). */
function functionsCalled(node: unknown, names: Set<string> = new Set()): Set<string> {
  if (Array.isArray(node)) {
    for (const child of node) functionsCalled(child, names);
  } else if (node !== null && typeof node === 'object') {
    const fields = node as Record<string, unknown>;
    if (fields['type'] === 'Literal') return names;
    if (fields['type'] === 'Function' && typeof fields['name'] === 'string') names.add(fields['name']);
    for (const value of Object.values(fields)) functionsCalled(value, names);
  }
  return names;
}

/**
 * The expression, compiled; a UsageError (exit 2) for one that is not valid JMESPath. `label` names
 * it in messages, e.g. `--query "tasks["`.
 */
export function compileQuery(expression: string, label: string): Query {
  let ast: ExpressionNode;
  try {
    // `running` for "running", as jmespath.py (aws) still reads it: the aws docs' examples use it.
    ast = compile(expression, { enable_legacy_literals: true });
  } catch (error) {
    throw new UsageError(`${label}: ${reason(error)}`, { hint: SYNTAX_HINT });
  }
  const unknown = [...functionsCalled(ast)].filter((name) => !isRegistered(name));
  if (unknown.length > 0) {
    throw new UsageError(`${label}: unknown function ${unknown.map((n) => `${n}()`).join(', ')}`, {
      hint: SYNTAX_HINT,
    });
  }
  return {
    expression,
    apply(document) {
      // The document as JSON would carry it: no undefined fields, no class instances.
      const json = JSON.parse(JSON.stringify(document)) as JSONValue;
      try {
        return TreeInterpreter.search(ast, json);
      } catch (error) {
        throw new UsageError(`${label}: ${reason(error)}`, {
          hint: 'the command itself ran; --query is applied to the document -o json prints, which has no such shape',
        });
      }
    },
  };
}

type Scalar = string | number | boolean | null;

function isScalar(value: unknown): value is Scalar {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/** A scalar as one field of a line: a string raw but one line (tabs and line breaks escaped); null empty. */
function field(value: Scalar): string {
  if (value === null) return '';
  return typeof value === 'string' ? escapeControls(value) : String(value);
}

/**
 * What a query selected, as `-o text` prints it: a scalar as itself (null: nothing), an array of
 * scalars one a line, rows of scalars (an array of arrays) as tab-separated lines, and anything else
 * (an object, an array holding objects) as JSON. Safe for a terminal as it is: outside text escaped
 * (core/escape.ts), the tabs between fields and the line breaks between lines left as they are.
 */
export function queryText(value: JSONValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return escapeForTerminal(value);
  if (isScalar(value)) return String(value);
  if (Array.isArray(value)) {
    const lines: string[] = [];
    for (const item of value) {
      if (isScalar(item)) lines.push(field(item));
      else if (Array.isArray(item) && item.every(isScalar)) lines.push(item.map(field).join('\t'));
      else return jsonText(value);
    }
    return lines.join('\n');
  }
  return jsonText(value);
}

function jsonText(value: JSONValue): string {
  return escapeJsonText(JSON.stringify(value, null, 2));
}
