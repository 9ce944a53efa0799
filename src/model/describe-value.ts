/**
 * What a value is, for a message that says what a field got instead (`got undefined`, `got the
 * number 5`, `got a list`): readable for any value a definition can hold, including those
 * `JSON.stringify` cannot show (undefined, a bigint, a function, a symbol).
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return 'text';
    case 'number':
      return `the number ${value}`;
    case 'bigint':
      return `the bigint ${value}n`;
    case 'boolean':
      return `the boolean ${value}`;
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default:
      return value === null ? 'null' : Array.isArray(value) ? 'a list' : 'a mapping';
  }
}

/** A value as a message quotes it: JSON where JSON can show it, else what it is. */
export function quoteValue(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) {
    try {
      const json = JSON.stringify(value);
      if (json !== undefined && json.length <= 80) return json;
    } catch {
      // A bigint or a cycle inside: what it is says enough.
    }
  }
  return describeValue(value);
}
