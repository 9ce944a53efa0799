import type { Where } from './source-location.js';

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

export interface RelatedInformation {
  message: string;
  where: Where;
}

/** A problem found while loading, compiling or linting: a code, a message, a span, related locations. */
export interface Diagnostic {
  /** Lint rule id (`runbook/missing`) or build stage id (`typescript`, `load/threw`, …). */
  rule: string;
  severity: DiagnosticSeverity;
  message: string;
  where?: Where;
  /** The alert, record, dashboard, panel, SLO or route the problem is about. */
  subject?: string;
  related?: RelatedInformation[];
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
