/**
 * The severities alerts may carry: `critical`, `warning` and `info`. Add your own with module
 * augmentation, in a definitions file or mon.config.ts:
 * `declare module 'moncode' { interface Severities { page: true } }`. The build reads the same
 * declaration, so lint (`label/required`) accepts the severity too.
 */
export interface Severities {
  critical: true;
  warning: true;
  info: true;
}

/** A severity `Severities` declares: `critical`, `warning`, `info`, or one added by augmentation. */
export type Severity = keyof Severities & string;

/** moncode's own severities, as `Severities` declares them before any augmentation. */
export const BUILT_IN_SEVERITIES: readonly (keyof Severities)[] = ['critical', 'warning', 'info'];
