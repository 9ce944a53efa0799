import type { Diagnostic } from '../model/diagnostic.js';
import { BUILT_IN_SEVERITIES } from '../model/severity.js';
import { augmentedMembers } from './augmentation.js';

/**
 * The severities of a project: moncode's own and those its sources add by augmenting
 * `Severities` (`declare module 'moncode' { interface Severities { page: true } }`).
 *
 * The augmentation is the one place a severity is declared: the type checker reads it for
 * the `Severity` type, and this reads the same declaration from the same files (the roots of
 * the type-check: definitions and mon.config.ts) for lint, which judges label values on the
 * evaluated model where no type survives.
 */
export function declaredSeverities(files: readonly string[], overlay: Readonly<Record<string, string>> = {}): { severities: string[]; diagnostics: Diagnostic[] } {
  const severities: string[] = [...BUILT_IN_SEVERITIES];
  const { members, diagnostics } = augmentedMembers('Severities', 'the severities', files, overlay);
  for (const { name } of members) if (!severities.includes(name)) severities.push(name);
  return { severities, diagnostics };
}
