/**
 * The subset of IoT Hub's query language the local hub answers (behaviour §1.3):
 *
 *   SELECT * FROM devices [WHERE <condition>]
 *
 * A condition compares a twin path (deviceId, status, connectionState, tags.x, properties.reported.y, ...)
 * with a literal using = != <> < <= > >=, or tests membership with IN / NIN [literal, ...], combined with AND,
 * OR, NOT and parentheses. Literals: 'string' (a quote is doubled: 'it''s'), "string", numbers, true, false,
 * null. Anything else (projections, aggregates, devices.jobs, GROUP BY) is a 400 that says so. Pure: compiles
 * to a predicate over the twin JSON, returns a HubError instead of throwing.
 */
import { HubError } from './errors';
import type { JsonObject } from './types';

type Literal = string | number | boolean | null;
type Token =
  | { kind: 'word'; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'punct'; text: string };

export type TwinPredicate = (twin: JsonObject) => boolean;

const MAX_QUERY_LENGTH = 8192;

class QueryError extends Error {}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new QueryError('a string literal is not closed');
        const d = text[j] as string;
        if (d === c && text[j + 1] === c) {
          value += c;
          j += 2;
        } else if (d === c) {
          break;
        } else {
          value += d;
          j++;
        }
      }
      tokens.push({ kind: 'string', value });
      i = j + 1;
      continue;
    }
    const number = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (number && (c !== '-' || /\d/.test(text[i + 1] ?? ''))) {
      tokens.push({ kind: 'number', value: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(text.slice(i));
    if (word) {
      tokens.push({ kind: 'word', text: word[0] });
      i += word[0].length;
      continue;
    }
    const op = /^(<=|>=|<>|!=|=|<|>|\(|\)|\[|\]|,|\.|\*)/.exec(text.slice(i));
    if (op) {
      tokens.push({ kind: 'punct', text: op[0] });
      i += op[0].length;
      continue;
    }
    throw new QueryError(`unexpected character "${c}" at position ${i}`);
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isWord(text: string): boolean {
    const t = this.peek();
    return t?.kind === 'word' && t.text.toUpperCase() === text;
  }

  private isPunct(text: string): boolean {
    const t = this.peek();
    return t?.kind === 'punct' && t.text === text;
  }

  private expectWord(text: string, hint: string): void {
    if (!this.isWord(text)) throw new QueryError(hint);
    this.pos++;
  }

  private expectPunct(text: string): void {
    if (!this.isPunct(text)) throw new QueryError(`expected "${text}"`);
    this.pos++;
  }

  parseQuery(): TwinPredicate {
    this.expectWord('SELECT', 'the query must start with SELECT');
    if (!this.isPunct('*')) {
      throw new QueryError('only SELECT * is supported by the local hub (no projections or aggregates)');
    }
    this.pos++;
    this.expectWord('FROM', 'expected FROM after SELECT *');
    this.expectWord('DEVICES', 'only FROM devices is supported by the local hub');
    if (this.isPunct('.')) throw new QueryError('only FROM devices is supported by the local hub (not devices.modules or devices.jobs)');
    let predicate: TwinPredicate = () => true;
    if (this.isWord('WHERE')) {
      this.pos++;
      predicate = this.parseOr();
    }
    const rest = this.peek();
    if (rest) {
      throw new QueryError(`unexpected "${'text' in rest ? rest.text : String(rest.value)}" (GROUP BY, ORDER BY and TOP are not supported)`);
    }
    return predicate;
  }

  private parseOr(): TwinPredicate {
    let left = this.parseAnd();
    while (this.isWord('OR')) {
      this.pos++;
      const a = left;
      const b = this.parseAnd();
      left = (t) => a(t) || b(t);
    }
    return left;
  }

  private parseAnd(): TwinPredicate {
    let left = this.parseNot();
    while (this.isWord('AND')) {
      this.pos++;
      const a = left;
      const b = this.parseNot();
      left = (t) => a(t) && b(t);
    }
    return left;
  }

  private parseNot(): TwinPredicate {
    if (this.isWord('NOT')) {
      this.pos++;
      const inner = this.parseNot();
      return (t) => !inner(t);
    }
    if (this.isPunct('(')) {
      this.pos++;
      const inner = this.parseOr();
      this.expectPunct(')');
      return inner;
    }
    return this.parseComparison();
  }

  private parsePath(): string[] {
    const first = this.peek();
    if (first?.kind !== 'word') throw new QueryError('expected a property name such as deviceId or tags.location');
    this.pos++;
    const path = [first.text];
    while (this.isPunct('.')) {
      this.pos++;
      const next = this.peek();
      if (next?.kind !== 'word') throw new QueryError('expected a property name after "."');
      this.pos++;
      path.push(next.text);
    }
    // "devices.status" means the same as "status".
    if (path.length > 1 && path[0]?.toLowerCase() === 'devices') path.shift();
    return path;
  }

  private parseLiteral(): Literal {
    const t = this.peek();
    if (!t) throw new QueryError('expected a value');
    this.pos++;
    if (t.kind === 'string' || t.kind === 'number') return t.value;
    if (t.kind === 'word') {
      const w = t.text.toLowerCase();
      if (w === 'true') return true;
      if (w === 'false') return false;
      if (w === 'null') return null;
    }
    throw new QueryError(`expected a value ('text', a number, true, false or null), not "${'text' in t ? t.text : ''}"`);
  }

  private parseComparison(): TwinPredicate {
    const path = this.parsePath();
    if (this.isWord('IN') || this.isWord('NIN')) {
      const negate = this.isWord('NIN');
      this.pos++;
      this.expectPunct('[');
      const values: Literal[] = [this.parseLiteral()];
      while (this.isPunct(',')) {
        this.pos++;
        values.push(this.parseLiteral());
      }
      this.expectPunct(']');
      return (t) => {
        const v = resolvePath(t, path);
        const found = values.some((x) => compare(v, '=', x));
        return negate ? !found : found;
      };
    }
    const op = this.peek();
    if (op?.kind !== 'punct' || !['=', '!=', '<>', '<', '<=', '>', '>='].includes(op.text)) {
      throw new QueryError(`expected a comparison (=, !=, <, <=, >, >=, IN, NIN) after "${path.join('.')}"`);
    }
    this.pos++;
    const value = this.parseLiteral();
    return (t) => compare(resolvePath(t, path), op.text, value);
  }
}

/** Looks a path up in the twin; top-level names also match case-insensitively (deviceid = deviceId). */
function resolvePath(twin: JsonObject, path: string[]): unknown {
  let node: unknown = twin;
  for (const [index, key] of path.entries()) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    const obj = node as JsonObject;
    if (key in obj) node = obj[key];
    else if (index === 0) {
      const match = Object.keys(obj).find((k) => k.toLowerCase() === key.toLowerCase());
      node = match === undefined ? undefined : obj[match];
    } else return undefined;
  }
  return node;
}

function compare(actual: unknown, op: string, expected: Literal): boolean {
  if (actual === undefined) return false;
  if (op === '=') return actual === expected;
  if (op === '!=' || op === '<>') return actual !== expected;
  if (typeof actual === 'number' && typeof expected === 'number') {
    return op === '<' ? actual < expected : op === '<=' ? actual <= expected : op === '>' ? actual > expected : actual >= expected;
  }
  if (typeof actual === 'string' && typeof expected === 'string') {
    return op === '<' ? actual < expected : op === '<=' ? actual <= expected : op === '>' ? actual > expected : actual >= expected;
  }
  return false;
}

/** Compiles a query into a twin predicate, or a 400 naming what is not understood. */
export function compileQuery(query: unknown): TwinPredicate | HubError {
  if (typeof query !== 'string' || query.trim() === '') {
    return new HubError('ArgumentNull', 'The body must be {"query": "SELECT * FROM devices ..."}.');
  }
  if (query.length > MAX_QUERY_LENGTH) {
    return new HubError('ArgumentInvalid', `The query is longer than ${MAX_QUERY_LENGTH} characters.`);
  }
  try {
    return new Parser(tokenize(query)).parseQuery();
  } catch (err) {
    if (err instanceof QueryError) return new HubError('ArgumentInvalid', `Query not understood: ${err.message}.`);
    throw err;
  }
}
