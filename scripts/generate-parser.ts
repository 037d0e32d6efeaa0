/**
 * Compiles the Chevrotain grammar of grammar/parser.ts into grammar/generated/fast-parser.ts: one
 * plain recursive-descent function per rule over grammar/cursor.ts, which `parse` runs first.
 * The structure comes from the parser's own grammar (`getGAstProductions()`) and every choice
 * from Chevrotain's own lookahead analysis (`getLookaheadPaths`), so nothing of the grammar is
 * restated here; each rule or alternative builds its node with the action of grammar/actions.ts
 * that parser.ts calls too.
 *
 * It compiles what the grammar uses: tokens, subrules, a rule that is one choice, and
 * repetitions of one subrule, all decided by one token of lookahead. Anything else (an option, a
 * choice inside a sequence, an empty alternative, a decision that needs two tokens) stops it with
 * an error naming the rule. `npm run generate` (and `npm run build`) rewrites the file; a test
 * fails when it is stale, and so does `npm test` before it builds (`--check`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Alternation,
  type Alternative,
  getLookaheadPaths,
  type IProduction,
  NonTerminal,
  Repetition,
  type Rule,
  Terminal,
  type TokenType,
  VERSION,
} from 'chevrotain';
import { actions } from '../grammar/actions.ts';
import { createProtocolParser } from '../grammar/parser.ts';
import { tokens } from '../grammar/tokens.ts';
import { FIXED_TEXT, TOKEN_NAMES, type TokenName } from '../grammar/vocabulary.ts';

export const fastParserPath = join(import.meta.dirname, '..', 'grammar', 'generated', 'fast-parser.ts');

/** More than the grammar may use, so that a decision needing two tokens shows as paths of two. */
const PROBE_LOOKAHEAD = 3;
/** The cursor's matcher for each token that is not a fixed text (vocabulary.ts, FIXED_TEXT). */
const CONSUMERS: Record<string, string> = {
  Word: 'word()',
  Digits: 'digits()',
  Dot: 'dot()',
  MessageToken: 'message()',
};
/** Tokens whose text (the source, the token's start and end) is passed to an action. */
const VALUE_TOKENS: readonly string[] = ['Word', 'Digits', 'MessageToken'];

class GrammarNotCompiled extends Error {
  constructor(rule: Rule, what: string) {
    super(`rule ${rule.name}: ${what}; the fast-parser generator does not compile this`);
  }
}

const idOf = (type: TokenType): number => TOKEN_NAMES.indexOf(type.name as TokenName);

/** The ids of every token type that matches `type`: itself and the members of its category. */
function matching(type: TokenType): number[] {
  return tokens()
    .all.filter((t) => t === type || t.CATEGORIES?.includes(type))
    .map(idOf);
}

/** A Section IV-like text of a production, for the comment above each function. */
function show(productions: IProduction[]): string {
  return productions
    .map((p) => {
      if (p instanceof Terminal) return p.terminalType.name;
      if (p instanceof NonTerminal) return `[${p.nonTerminalName}]`;
      if (p instanceof Repetition) return `${show(p.definition)}*`;
      if (p instanceof Alternation)
        return (p.definition as Alternative[]).map((a) => show(a.definition)).join(' | ');
      return '?';
    })
    .join(' ');
}

/** How many arguments a sequence's parts give its action (see grammar/actions.ts). */
function valueCount(productions: IProduction[]): number {
  let count = 0;
  for (const p of productions) {
    if (p instanceof Terminal) count += VALUE_TOKENS.includes(p.terminalType.name) ? 3 : 0;
    else if (p instanceof NonTerminal || p instanceof Repetition) count += 1;
  }
  return count;
}

class RuleCompiler {
  private readonly tables = new Map<string, number[]>();

  private readonly rule: Rule;

  constructor(rule: Rule) {
    this.rule = rule;
  }

  /** First-token ids, one list per alternative, refusing anything that needs more lookahead. */
  private firstTokens(prodType: 'Alternation' | 'Repetition', occurrence: number): number[][] {
    const paths = getLookaheadPaths({
      occurrence,
      rule: this.rule,
      prodType,
      maxLookahead: PROBE_LOOKAHEAD,
    });
    // For a repetition the second "alternative" is what may follow it, which may be nothing.
    return paths.map((alternative, i) =>
      alternative.flatMap((path) => {
        if (path.length === 0 && (prodType === 'Alternation' || i === 0)) {
          throw new GrammarNotCompiled(this.rule, `an empty ${prodType}`);
        }
        if (path.length === 0) return [];
        if (path.length > 1) {
          throw new GrammarNotCompiled(
            this.rule,
            `a ${prodType} needs ${path.length} tokens of lookahead (${path.map((t) => t.name).join(' ')})`,
          );
        }
        return matching(path[0] as TokenType);
      }),
    );
  }

  /** A test of the lookahead token against a set of ids; `label` names a lookup table. */
  private test(ids: number[], label: string): string {
    const unique = [...new Set(ids)].sort((a, b) => a - b);
    const [only] = unique;
    // One fixed token (SERVER, USERNODE): compared in place, not classified.
    if (unique.length === 1 && FIXED_TEXT[only as number] !== undefined) return `nextIs(${only})`;
    if (unique.length === 1) return `peek() === ${only}`;
    if (unique.length <= 3) return unique.map((id) => `peek() === ${id}`).join(' || ');
    const name = `IS_${label}`;
    this.tables.set(name, unique);
    return `${name}[peek()] === 1`;
  }

  /** Module-level lookup tables the tests refer to, by name. */
  declarations(): Map<string, string> {
    return new Map(
      [...this.tables].map(([name, ids]) => {
        const bits = TOKEN_NAMES.map((_, id) => (ids.includes(id) ? 1 : 0));
        return [name, `const ${name} = new Uint8Array([${bits.join(', ')}]);`];
      }),
    );
  }

  /** The cursor call that matches one token of `type` in place. */
  private consume(type: TokenType): string {
    const call = CONSUMERS[type.name];
    if (call !== undefined) return call;
    const id = idOf(type);
    if (FIXED_TEXT[id] !== undefined) return `fixed(${id})`;
    throw new GrammarNotCompiled(this.rule, `no way to match token ${type.name} in grammar/cursor.ts`);
  }

  /** Statements for a sequence, ending in the action's return. */
  private sequence(productions: IProduction[], key: string, indent: string): string[] {
    if (!(key in actions))
      throw new GrammarNotCompiled(this.rule, `no action "${key}" in grammar/actions.ts`);
    const lines: string[] = [];
    // An action that takes three arguments more than its parts give gets the rule's own text too.
    const arity = (actions[key as keyof typeof actions] as (...args: never[]) => unknown).length;
    const spanned = arity === valueCount(productions) + 3;
    if (spanned) lines.push(`${indent}const from = nextTokenStart();`);
    const values: string[] = [];
    const value = () => {
      const name = `v${values.length}`;
      values.push(name);
      return name;
    };
    for (const production of productions) {
      if (production instanceof Terminal) {
        const type = production.terminalType;
        lines.push(`${indent}${this.consume(type)}; // ${type.name}`);
        if (VALUE_TOKENS.includes(type.name)) {
          lines.push(`${indent}const ${value()} = source();`);
          lines.push(`${indent}const ${value()} = tokenStart();`);
          lines.push(`${indent}const ${value()} = tokenEnd();`);
        }
      } else if (production instanceof NonTerminal) {
        lines.push(`${indent}const ${value()} = ${production.nonTerminalName}();`);
      } else if (production instanceof Repetition) {
        const [inside] = this.firstTokens('Repetition', production.idx);
        const [only, ...rest] = production.definition;
        if (!(only instanceof NonTerminal) || rest.length > 0) {
          throw new GrammarNotCompiled(this.rule, 'a repetition of anything but one subrule');
        }
        const name = value();
        lines.push(`${indent}const ${name}: ReturnType<typeof ${only.nonTerminalName}>[] = [];`);
        const test = this.test(inside as number[], `${this.rule.name}_${production.idx}`);
        lines.push(`${indent}while (${test}) ${name}.push(${only.nonTerminalName}());`);
      } else if (production instanceof Alternation) {
        throw new GrammarNotCompiled(this.rule, 'a choice inside a sequence');
      } else {
        throw new GrammarNotCompiled(this.rule, `a ${production.constructor.name}`);
      }
    }
    if (spanned) values.push('source()', 'from', 'tokenEnd()');
    lines.push(`${indent}return A['${key}'](${values.join(', ')});`);
    return lines;
  }

  /** The rule's function. */
  compile(): string[] {
    const { rule } = this;
    const [only, ...rest] = rule.definition;
    const lines = [`// ${rule.name} => ${show(rule.definition)}`, `export function ${rule.name}() {`];
    if (only instanceof Alternation && rest.length === 0) {
      const firsts = this.firstTokens('Alternation', only.idx);
      const taken = new Set<number>();
      lines.push('  switch (peek()) {');
      (only.definition as Alternative[]).forEach((alternative, i) => {
        // Chevrotain takes the first alternative that matches: a token already taken stays there.
        const ids = (firsts[i] as number[]).filter((id) => !taken.has(id));
        for (const id of ids) taken.add(id);
        if (ids.length === 0) throw new GrammarNotCompiled(rule, `alternative ${i + 1} can never be taken`);
        const first = alternative.definition[0];
        const name =
          first instanceof Terminal
            ? first.terminalType.name
            : first instanceof NonTerminal
              ? first.nonTerminalName
              : undefined;
        if (name === undefined)
          throw new GrammarNotCompiled(rule, `alternative ${i + 1} starts with a choice`);
        for (const id of ids) lines.push(`    case ${id}: // ${TOKEN_NAMES[id]}`);
        lines.push('    {');
        lines.push(...this.sequence(alternative.definition, `${rule.name}.${name}`, '      '));
        lines.push('    }');
      });
      lines.push('    default:', '      return fail();', '  }');
    } else {
      lines.push(...this.sequence(rule.definition, rule.name, '  '));
    }
    lines.push('}');
    return lines;
  }
}

/** The text of grammar/generated/fast-parser.ts for the current grammar. */
export function generateFastParser(): string {
  const rules = Object.values(createProtocolParser().getGAstProductions());
  const compilers = rules.map((rule) => new RuleCompiler(rule));
  const functions = compilers.flatMap((compiler) => ['', ...compiler.compile()]);
  return [
    '// Generated by scripts/generate-parser.ts from the Chevrotain grammar of grammar/parser.ts',
    `// (Chevrotain ${VERSION}: its grammar and its lookahead): do not edit. \`npm run generate\` rewrites`,
    '// it; test/fast-parser.test.ts fails when it is stale and holds it equal to the Chevrotain path.',
    '// Token ids are those of grammar/vocabulary.ts; each case names its token.',
    "import { actions as A } from '../actions.ts';",
    // Named imports, not a namespace: V8 calls them directly, where a namespace object's
    // properties cost a lookup on every token.
    'import {',
    '  digits,',
    '  dot,',
    '  fail,',
    '  fixed,',
    '  message,',
    '  nextIs,',
    '  nextTokenStart,',
    '  peek,',
    '  source,',
    '  tokenEnd,',
    '  tokenStart,',
    '  word,',
    "} from '../cursor.ts';",
    '',
    // A table per token category, shared by every rule that tests for it.
    ...new Map(compilers.flatMap((compiler) => [...compiler.declarations()])).values(),
    ...functions,
    '',
  ].join('\n');
}

if (import.meta.main) {
  const text = generateFastParser();
  if (process.argv.includes('--check')) {
    // npm test checks before it builds, as the build would rewrite a stale file out of sight.
    if (readFileSync(fastParserPath, 'utf8') !== text) {
      console.error(`${fastParserPath} is stale: run npm run generate and commit it`);
      process.exit(1);
    }
  } else {
    writeFileSync(fastParserPath, text);
    console.log(`wrote ${fastParserPath}`);
  }
}
