/**
 * The severities alerts may carry. Add your own with module augmentation:
 * `declare module 'moncode' { interface Severities { page: true } }`.
 */
export interface Severities {
  critical: true;
  warning: true;
  info: true;
}

export type Severity = keyof Severities & string;
