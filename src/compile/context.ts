import type { Diagnostic } from '../model/diagnostic.js';
import type { Where } from '../model/source-location.js';

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
/** A field the declared target (Prometheus version, flavor) cannot take. */
export const UNSUPPORTED = 'definition/unsupported';
