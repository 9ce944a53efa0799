import { parentPointer } from './pointer.js';
import type { Where } from './source-location.js';

/**
 * Maps JSON pointers of a compiled or read document (`/panels/3/targets/0/expr`)
 * to where they were written. A pointer without an entry resolves to its
 * nearest ancestor that has one, so a problem deep inside a panel still points
 * at the panel.
 */
export class Locator {
  private readonly entries = new Map<string, Where>();
  private lookup?: (pointer: string) => Where | undefined;

  /** `lookup` answers pointers on demand (readers that keep a parse tree). */
  static fromLookup(lookup: (pointer: string) => Where | undefined): Locator {
    const locator = new Locator();
    locator.lookup = lookup;
    return locator;
  }

  /** A locator of recorded entries (`entries()` of another). */
  static fromEntries(entries: Iterable<[string, Where]>): Locator {
    const locator = new Locator();
    for (const [pointer, where] of entries) locator.entries.set(pointer, where);
    return locator;
  }

  /** Its entries, to be recorded; undefined when it answers on demand (it cannot be). */
  recordable(): Array<[string, Where]> | undefined {
    return this.lookup ? undefined : [...this.entries];
  }

  set(pointer: string, where: Where | undefined): void {
    if (where) this.entries.set(pointer, where);
  }

  /** The most specific known location for `pointer`. */
  get(pointer: string): Where | undefined {
    for (let current = pointer; ; current = parentPointer(current)) {
      const where = this.entries.get(current) ?? this.lookup?.(current);
      if (where || current === '') return where;
    }
  }
}
