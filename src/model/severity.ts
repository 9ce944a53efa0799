/**
 * The severities alerts may carry: `critical`, `warning`, `info`, and `none` for alerts that never
 * notify anyone (a Watchdog that proves the pipeline works). Add your own with module
 * augmentation, in a definitions file or mon.config.ts:
 * `declare module 'moncode' { interface Severities { page: true } }`. The build reads the same
 * declaration, so lint (`label/required`) accepts the severity too.
 */
export interface Severities {
  critical: true;
  warning: true;
  info: true;
  none: true;
}

/** A severity `Severities` declares: `critical`, `warning`, `info`, `none`, or one added by augmentation. */
export type Severity = keyof Severities & string;

/** moncode's own severities, as `Severities` declares them before any augmentation. */
export const BUILT_IN_SEVERITIES: readonly (keyof Severities)[] = ['critical', 'warning', 'info', 'none'];
