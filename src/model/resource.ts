import { copyOrigin } from './source-location.js';

/** The top-level things `mon-build` collects from the exports of definitions. */
export type ResourceKind = 'dashboard' | 'rule-group' | 'datasource' | 'slo' | 'alertmanager' | 'metric-catalog' | 'rule-test' | 'route-test';

const KIND = Symbol.for('moncode.kind');

export type Resource<K extends ResourceKind = ResourceKind> = { readonly [KIND]: K };

/** Marks a definition object as a resource of `kind`, keeping where it was written. */
export function brand<T extends object, K extends ResourceKind>(value: T, kind: K): T & Resource<K> {
  const target = Object.isExtensible(value) ? value : copyOrigin(value, { ...value });
  Object.defineProperty(target, KIND, { value: kind, enumerable: false, configurable: true });
  return target as T & Resource<K>;
}

export function kindOf(value: unknown): ResourceKind | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return (value as Partial<Resource>)[KIND];
}

/** A shallow copy with extra fields that remembers where the original was written. */
export function derive<T extends object, E extends object>(source: T, extra: E): Omit<T, keyof E> & E {
  return copyOrigin(source, { ...source, ...extra });
}
