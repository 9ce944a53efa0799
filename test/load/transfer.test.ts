import { describe, expect, it } from 'vitest';
import { decode, encode, fromWire, toWire } from '../../src/load/transfer.js';

const ORIGIN = Symbol.for('moncode.origin');
const ARGUMENTS = Symbol.for('moncode.arguments');
const KIND = Symbol.for('moncode.kind');

function marked<T extends object>(value: T, marks: Record<symbol, unknown>): T {
  for (const symbol of Object.getOwnPropertySymbols(marks)) Object.defineProperty(value, symbol, { value: marks[symbol], enumerable: false, configurable: true });
  return value;
}

const shared = { name: 'shared' };
const proto = JSON.parse('{"__proto__": {"x": 1}}') as object;

// What crosses as JSON must come back as what structured cloning gave, including the values JSON alone would change.
const cases: Array<[string, unknown[]]> = [
  ['plain data', [{ a: 'x', b: 1.5, c: true, d: null, e: [1, 'two', [3]] }]],
  ['undefined in a field, an item, a root', [{ a: undefined }, [undefined, 1], undefined]],
  ['-0, NaN and the infinities', [{ zero: -0, nan: NaN, up: Infinity, down: -Infinity }, [-0, 0]]],
  ['a bigint', [{ big: 10n ** 20n }, [5n]]],
  ['a lone surrogate and other text', [{ s: '\ud800 é \u2028 "quoted" \\ \n', ['\udc00key']: 1 }]],
  ['a __proto__ field', [proto]],
  ['shared objects', [{ a: shared, b: [shared] }, shared]],
  ['a frozen object', [Object.freeze({ a: Object.freeze([1]) })]],
  ['an empty object and array', [{}, []]],
  [
    'marks: an origin, arguments with values JSON changes, a kind',
    [
      marked(
        { title: 'D' },
        {
          [ORIGIN]: { node: 'call', file: '/p/a.ts', start: 3, end: 9, seq: 2, via: [{ file: '/p/b.ts', start: 1, end: 4, callee: 'helper' }] },
          [ARGUMENTS]: ['x', undefined, -0, NaN, 7n, 2],
          [KIND]: 'dashboard',
        },
      ),
      marked({ b: 1 }, { [ARGUMENTS]: undefined, [KIND]: -0 }),
    ],
  ],
];

describe('the worker posts its values as JSON with what JSON would change beside it', () => {
  it.each(cases)('%s', (_name, roots) => {
    const encoded = encode(roots, [], '/p/a.ts');
    const before = structuredClone(encoded);
    const wire = structuredClone(toWire(encoded));
    expect(encoded).toStrictEqual(before);
    const back = fromWire(wire);
    expect(back).toStrictEqual(before);
    const [expected, got] = [decode(structuredClone(before)), decode(back)];
    expect(got).toStrictEqual(expected);
    for (const [i, value] of expected.entries()) {
      if (typeof value !== 'object' || value === null) continue;
      for (const symbol of Object.getOwnPropertySymbols(value)) expect((got[i] as Record<symbol, unknown>)[symbol]).toStrictEqual((value as Record<symbol, unknown>)[symbol]);
    }
  });

  it('carries JSON-exact tables whole in the text', () => {
    const wire = toWire(encode([{ a: [1, 'x', { b: null }] }], [], '/p/a.ts'));
    expect(wire.exceptions).toEqual([]);
  });

  it('keeps the one -0 among a mark’s items apart from the 0 beside it', () => {
    const wire = toWire(encode([marked({}, { [ARGUMENTS]: [0, -0] })], [], '/p/a.ts'));
    expect(wire.exceptions).toEqual([[0, 'marks', 0, 1, -0]]);
    expect(Object.is((fromWire(wire).nodes[0]!.marks![0]![1] as number[])[1], -0)).toBe(true);
  });
});
