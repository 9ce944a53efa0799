import { createRequire } from 'node:module';
import type * as TS from 'typescript';

let loaded: typeof TS | undefined;

/**
 * The TypeScript compiler, loaded on first use: it takes a few hundred
 * milliseconds, which linting YAML or reusing cached definitions never pays.
 */
export function typescript(): typeof TS {
  loaded ??= createRequire(import.meta.url)('typescript') as typeof TS;
  return loaded;
}

export type { TS };
