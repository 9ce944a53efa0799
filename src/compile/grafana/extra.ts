/**
 * Writes a definition's `extra` fields over the JSON compiled for it: objects are merged key by
 * key (so `extra: { fieldConfig: { defaults: { links: [] } } }` keeps the compiled unit), anything
 * else replaces what was compiled. Copies, so one `extra` object shared by two panels stays intact.
 */
export function mergeExtra(json: Record<string, unknown>, extra: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) continue;
    const current = json[key];
    if (isPlainObject(current) && isPlainObject(value)) {
      const merged = { ...current };
      mergeExtra(merged, value);
      json[key] = merged;
    } else {
      json[key] = structuredClone(value);
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
