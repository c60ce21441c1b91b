// modguard.json: rule severities, rule options and ignored paths. Every problem is reported, one
// line each, naming the file and the key, so a wrong configuration is fixed in one round.
import type { z } from 'zod';
import { lazySchema, zod } from '../util/zod.ts';
import { UsageError } from '../commands/context.ts';
import type { Config, Rule, SeveritySetting } from './types.ts';
import { rules as registeredRules } from '../../rules/index.ts';

/** CONFIG_FILE is the default configuration file name at the repository root. */
export const CONFIG_FILE = 'modguard.json';

export const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['error', 'warning', 'info', 'off'];
const TOP_LEVEL_KEYS = ['$schema', 'rules', 'ignore'];

/** The most patterns `ignore` may list. */
export const MAX_IGNORE_PATTERNS = 10_000;
const RULE_KEYS = ['severity', 'options'];

const severitySchema = lazySchema((z) => z.enum(['error', 'warning', 'info', 'off']));

/** lineColumn turns an offset into a 1-based line and column. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) { line++; lineStart = i + 1; }
  }
  return { line, column: offset - lineStart + 1 };
}

/** jsonSyntaxProblem phrases a JSON.parse failure with the line and column where it stopped. */
function jsonSyntaxProblem(text: string, file: string, err: unknown): string {
  const message = (err as Error).message ?? String(err);
  const at = /at position (\d+)/.exec(message);
  const detail = message.replace(/^Unexpected token/, 'unexpected token').replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '');
  if (at) {
    const { line, column } = lineColumn(text, Number(at[1]));
    return `${file}:${line}:${column}: invalid JSON: ${detail}`;
  }
  return `${file}: invalid JSON: ${detail}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `${typeof v === 'string' ? 'a string' : typeof v === 'number' ? 'a number' : typeof v === 'boolean' ? 'a boolean' : typeof v} (${JSON.stringify(v)})`;
}

/** keyPath joins a key path the way users write it: `rules.anchor-mismatch.options.x`, `ignore[2]`. */
function keyPath(parts: readonly PropertyKey[]): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

/** zodProblems turns the issues of an options schema into `file: key: message` lines. */
function zodProblems(file: string, prefix: readonly PropertyKey[], error: z.ZodError): string[] {
  const out: string[] = [];
  for (const issue of error.issues) {
    const at = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(`${file}: ${keyPath([...at, key])}: unknown option`);
      continue;
    }
    let message = issue.message;
    if (issue.code === 'invalid_type') message = `expected ${issue.expected}`;
    else if (issue.code === 'invalid_value') message = `expected one of ${issue.values.map((v) => String(v)).join(', ')}`;
    out.push(`${file}: ${keyPath(at)}: ${message}`);
  }
  return out;
}

function unknownKey(file: string, at: string, key: string, allowed: readonly string[]): string {
  return `${file}: ${at ? `${at}.` : ''}${key}: unknown key (allowed: ${allowed.join(', ')})`;
}

/**
 * validateRuleOptions checks options against a rule's schema and returns them with defaults filled
 * in, or the problems found. Used for the configuration and by the runner (defaults).
 */
export function validateRuleOptions(rule: Rule, options: unknown): { ok: true; options: Record<string, unknown> } | { ok: false; error: z.ZodError } {
  // No options given: the rule's defaults, without its schema (and zod).
  const defaults = rule.meta.defaultOptions;
  if (defaults && (options === undefined || (isPlainObject(options) && Object.keys(options).length === 0))) return { ok: true, options: { ...defaults } };
  const schema = rule.meta.optionsSchema;
  if (!schema) return { ok: true, options: isPlainObject(options) ? options : {} };
  const parsed = schema.safeParse(options ?? {});
  if (!parsed.success) return { ok: false, error: parsed.error };
  return { ok: true, options: (parsed.data ?? {}) as Record<string, unknown> };
}

/**
 * parseConfig validates a modguard.json text. Rule settings are `"id": "warning"` or
 * `"id": {"severity": "warning", "options": {...}}`. It throws a UsageError with one line per
 * problem (`modguard.json: rules.x.severity: expected one of error, warning, info, off`).
 */
export function parseConfig(text: string, file: string, knownRules: readonly Rule[] = registeredRules): Config {
  const rules = knownRules;
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new UsageError(jsonSyntaxProblem(text, file, err));
  }
  if (!isPlainObject(raw)) throw new UsageError(`${file}: expected a JSON object at the top level, got ${typeName(raw)}`);

  const problems: string[] = [];
  const config: Config = { file, rules: {}, ignore: [] };
  for (const key of Object.keys(raw)) {
    if (!TOP_LEVEL_KEYS.includes(key)) problems.push(unknownKey(file, '', key, TOP_LEVEL_KEYS));
  }
  if (raw.$schema !== undefined && typeof raw.$schema !== 'string') problems.push(`${file}: $schema: expected a string, got ${typeName(raw.$schema)}`);

  if (raw.ignore !== undefined) {
    if (!Array.isArray(raw.ignore)) {
      problems.push(`${file}: ignore: expected an array of path patterns, got ${typeName(raw.ignore)}`);
    } else if (raw.ignore.length > MAX_IGNORE_PATTERNS) {
      // Each pattern with a wildcard is tried on each path: a list of this length is no hand-kept list.
      problems.push(`${file}: ignore: ${raw.ignore.length} patterns, more than the ${MAX_IGNORE_PATTERNS} allowed; ignore directories (a pattern ignores everything below it), not files`);
    } else {
      raw.ignore.forEach((p: unknown, i: number) => {
        if (typeof p !== 'string') problems.push(`${file}: ignore[${i}]: expected a path pattern string, got ${typeName(p)}`);
        else if (p.trim() === '' || /^\.?\/?$/.test(p.trim())) problems.push(`${file}: ignore[${i}]: empty pattern would ignore every module`);
        else config.ignore.push(p);
      });
    }
  }

  if (raw.rules !== undefined) {
    if (!isPlainObject(raw.rules)) {
      problems.push(`${file}: rules: expected an object of rule settings, got ${typeName(raw.rules)}`);
    } else {
      const byId = new Map(rules.map((r) => [r.meta.id, r]));
      const known = rules.map((r) => r.meta.id).sort();
      for (const [id, setting] of Object.entries(raw.rules)) {
        const rule = byId.get(id);
        if (!rule) {
          problems.push(`${file}: rules.${id}: unknown rule (known rules: ${known.join(', ')})`);
          continue;
        }
        const at = `rules.${id}`;
        let severity: unknown;
        let options: unknown;
        if (typeof setting === 'string') {
          severity = setting;
        } else if (isPlainObject(setting)) {
          for (const key of Object.keys(setting)) {
            if (!RULE_KEYS.includes(key)) problems.push(unknownKey(file, at, key, RULE_KEYS));
          }
          severity = setting.severity;
          options = setting.options;
        } else {
          problems.push(`${file}: ${at}: expected a severity (${SEVERITY_SETTINGS.join(', ')}) or an object with severity and options, got ${typeName(setting)}`);
          continue;
        }
        const entry: Config['rules'][string] = {};
        if (severity !== undefined) {
          if (typeof severity === 'string' && (SEVERITY_SETTINGS as readonly string[]).includes(severity)) entry.severity = severity as SeveritySetting;
          else problems.push(`${file}: ${at}${typeof setting === 'string' ? '' : '.severity'}: expected one of ${SEVERITY_SETTINGS.join(', ')}, got ${typeName(severity)}`);
        }
        if (options !== undefined) {
          if (!isPlainObject(options)) {
            problems.push(`${file}: ${at}.options: expected an object, got ${typeName(options)}`);
          } else {
            const checked = validateRuleOptions(rule, options);
            if (checked.ok) entry.options = checked.options;
            else problems.push(...zodProblems(file, ['rules', id, 'options'], checked.error));
          }
        }
        config.rules[id] = entry;
      }
    }
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return config;
}

/**
 * configJsonSchema builds the JSON schema of modguard.json for editors: every known rule with its
 * description, its severity and its options.
 */
export function configJsonSchema(rules: readonly Rule[] = registeredRules): Record<string, unknown> {
  const z = zod();
  const severity = severitySchema();
  const ruleShape: Record<string, z.ZodType> = {};
  for (const rule of [...rules].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1))) {
    const options = rule.meta.optionsSchema ?? z.object({}).strict();
    ruleShape[rule.meta.id] = z.union([
      severity,
      z.object({ severity: severity.optional(), options: options.optional() }).strict(),
    ]).describe(`${rule.meta.description} (default severity: ${rule.meta.defaultSeverity})`);
  }
  const schema = z.object({
    $schema: z.string().optional(),
    rules: z.object(ruleShape).strict().optional()
      .describe('Rule settings: a severity (error, warning, info, off) or {"severity", "options"}.'),
    ignore: z.array(z.string()).max(MAX_IGNORE_PATTERNS).optional()
      .describe('Path patterns relative to the root whose go.mod and go.work files are not checked: `*` and `?` within a segment, a `**` segment any number of segments.'),
  }).strict();
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...json, title: 'modguard configuration (modguard.json)' };
}
