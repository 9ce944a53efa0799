import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { UnusableInputError } from '../model/diagnostic.js';

/** The executable `name` on PATH; when there is none, unusable input with `missing` as its message. */
export function findOnPath(name: string, missing: string): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  throw new UnusableInputError(missing);
}
