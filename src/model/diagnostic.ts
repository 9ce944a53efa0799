import type { Where } from './source-location.js';

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

/** The rule id of the type checker's diagnostics: definitions that do not type-check do not build. */
export const TYPE_ERROR = 'typescript';

/** A file that cannot be used at all: unreadable, binary, too large, malformed (YAML, JSON or TypeScript that does not parse), or of no known kind. Exit code 2. */
export const INPUT_UNREADABLE = 'input/unreadable';

export interface RelatedInformation {
  message: string;
  where: Where;
  within?: { value: string; from: number; to: number };
}

/** A problem found while loading, compiling or linting: a code, a message, a span, related locations. */
export interface Diagnostic {
  /** Lint rule id (`runbook/missing`) or build stage id (`typescript`, `load/threw`, …). */
  rule: string;
  severity: DiagnosticSeverity;
  message: string;
  where?: Where;
  /** Narrows `where` to characters `[from, to)` of the string value written there. */
  within?: { value: string; from: number; to: number };
  /** The alert, record, dashboard, panel, SLO or route the problem is about. */
  subject?: string;
  related?: RelatedInformation[];
  /** The whole rule or panel the problem belongs to (for reporting only on changed ones). */
  scope?: Where;
}

/**
 * Input moncode cannot use at all: bad command-line usage, a bad config, a
 * missing or unreadable input. Reported in one line, exit code 2.
 */
export class UnusableInputError extends Error {
  constructor(
    message: string,
    readonly where?: Where,
  ) {
    super(message);
    this.name = 'UnusableInputError';
  }
}

/** Collects the problems a compiler finds in definitions. */
export class Problems {
  readonly list: Diagnostic[] = [];

  error(rule: string, message: string, where: Where | undefined, subject?: string): void {
    this.list.push({ rule, severity: 'error', message, where, subject });
  }

  warning(rule: string, message: string, where: Where | undefined, subject?: string): void {
    this.list.push({ rule, severity: 'warning', message, where, subject });
  }
}

/** A value in a definition that cannot be compiled (bad duration, bad name, …). */
export const INVALID = 'definition/invalid';
/** A definition module that never finished (the time limit, a wait for nothing): it gives no values, and the other modules run without it. */
export const LOAD_STOPPED = 'load/stopped';
/** A resource a definition built that no export reaches: it would vanish from out/ without a word. */
export const UNEXPORTED = 'definition/unexported';
/** definitions/ holds nothing to build: an empty out/ that says "up to date" would look like success. */
export const NO_DEFINITIONS = 'definition/none';
/** A field the declared target (Prometheus version, flavor) cannot take. */
export const UNSUPPORTED = 'definition/unsupported';
