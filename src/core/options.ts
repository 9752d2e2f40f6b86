/**
 * Options and positional arguments declared as data, with the types commander's parse gives them
 * inferred from the declaration (`--all-failed` → `allFailed?: boolean`, `<task_id...>` → `string[]`).
 * Free of commander and of everything else: the global options (src/settings/flags.ts) and every
 * command (src/commands/define.ts) are declared with these.
 */

/* ---------- options ---------- */

/** What an option reads from standard input when it holds a secret (refused on a terminal). */
export interface SecretStdin {
  /** `the token`, as in "--token-stdin reads the token from standard input". */
  secret: string;
  hint: string;
}

export interface OptionSpec<F extends string = string, V = unknown, D extends boolean = boolean> {
  /** As commander takes them: `-o, --output <format>`, `--all-failed`, `--no-color`. */
  readonly flags: F;
  readonly description: string;
  readonly choices?: readonly string[];
  readonly defaultValue?: string;
  /** Given more than once, each value collected into a list. */
  readonly repeatable?: boolean;
  readonly secretStdin?: SecretStdin;
  /** The value's type, and whether a default makes it always present: for inference only. */
  readonly __value?: V;
  readonly __defaulted?: D;
}

export interface OptionExtras {
  defaultValue?: string;
  secretStdin?: SecretStdin;
}

/** An option without a value: `true` when given (`--no-x`: `false`). */
export function flag<const F extends string>(
  flags: F,
  description: string,
  extras: Pick<OptionExtras, 'secretStdin'> = {},
): OptionSpec<F, boolean, false> {
  return { flags, description, ...extras };
}

/** An option with a value, a string as typed; with a default, always present. */
export function value<const F extends string>(flags: F, description: string): OptionSpec<F, string, false>;
export function value<const F extends string>(
  flags: F,
  description: string,
  extras: { defaultValue: string },
): OptionSpec<F, string, true>;
export function value<const F extends string>(
  flags: F,
  description: string,
  extras: { defaultValue?: string } = {},
): OptionSpec<F, string> {
  return { flags, description, ...extras };
}

/** An option whose value is one of `choices` (anything else is a usage error). */
export function choice<const F extends string, const C extends readonly string[]>(
  flags: F,
  description: string,
  choices: C,
): OptionSpec<F, C[number], false> {
  return { flags, description, choices };
}

/** An option that may be given more than once, its values collected in order. */
export function list<const F extends string>(flags: F, description: string): OptionSpec<F, string[], false> {
  return { flags, description, repeatable: true };
}

type Camel<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<Camel<Tail>>}`
  : S;
type LongName<F extends string> = F extends `${string}--${infer Rest}`
  ? Rest extends `${infer Name} ${string}`
    ? Name
    : Rest
  : never;
/** The key commander gives an option: `--all-failed` → `allFailed`, `--no-color` → `color`. */
export type OptionKey<F extends string> =
  LongName<F> extends `no-${infer Name}` ? Camel<Name> : Camel<LongName<F>>;

/** The parsed options of a command, by key; each is absent when not given and has no default. */
export type OptionsOf<T extends readonly OptionSpec[]> = {
  [S in T[number] as S extends OptionSpec<string, unknown, true>
    ? OptionKey<S['flags']>
    : never]: S extends OptionSpec<string, infer V> ? V : never;
} & {
  [S in T[number] as S extends OptionSpec<string, unknown, true>
    ? never
    : OptionKey<S['flags']>]?: S extends OptionSpec<string, infer V> ? V : never;
};

/* ---------- arguments ---------- */

export interface ArgSpec<N extends string = string, V = unknown> {
  /** `<task_id>`, `[name]`, `<task_id...>`. */
  readonly syntax: N;
  readonly description: string;
  readonly choices?: readonly string[];
  readonly hidden?: boolean;
  readonly __value?: V;
}

type ArgName<N extends string> = N extends `${'<' | '['}${infer Name}${'>' | ']'}`
  ? Name extends `${infer Bare}...`
    ? Bare
    : Name
  : never;
type ArgValue<N extends string, V> = N extends `${string}...${string}`
  ? V[]
  : N extends `[${string}`
    ? V | undefined
    : V;

/** A positional argument: `<x>` required, `[x]` optional, `…` one or more. */
export function arg<const N extends string>(syntax: N, description: string): ArgSpec<N, string> {
  return { syntax, description };
}

/** A positional argument that is one of `choices`. */
export function argChoice<const N extends string, const C extends readonly string[]>(
  syntax: N,
  description: string,
  choices: C,
): ArgSpec<N, C[number]> {
  return { syntax, description, choices };
}

export type ArgsOf<T extends readonly ArgSpec[]> = {
  [S in T[number] as ArgName<S['syntax']>]: S extends ArgSpec<infer N, infer V> ? ArgValue<N, V> : never;
};

/** commander's parser of a repeatable option: each value appended to the list so far. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
