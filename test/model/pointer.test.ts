import { describe, expect, it } from 'vitest';
import { parentPointer, pointer, pointerSegments, pointerUnder } from '../../src/model/pointer.js';
import { parseJson } from '../../src/read/json.js';
import { parseYaml, yamlLocator } from '../../src/read/yaml.js';

describe('pointer', () => {
  it.each([
    [[], ''],
    [['panels', 3, 'targets', 0], '/panels/3/targets/0'],
    [['annotations', 'a/b'], '/annotations/a~1b'],
    [['data', 'x~y/z'], '/data/x~0y~1z'],
    [['labels', ''], '/labels/'],
  ] as const)('%j → %j', (segments, expected) => expect(pointer(...segments)).toBe(expected));

  it('appends below a base pointer', () => expect(pointerUnder('/rules/2', 'annotations', 'runbook/url')).toBe('/rules/2/annotations/runbook~1url'));

  it.each(['', '/a', '/a~1b/0', '/x~0y~1z/~01'])('segments round-trip %j', (at) => expect(pointer(...pointerSegments(at))).toBe(at));

  it('decodes ~01 as ~1, not /', () => expect(pointerSegments('/~01')).toEqual(['~1']));

  it.each([
    ['/rules/3/expr', '/rules/3'],
    ['/rules', ''],
    ['', ''],
  ])('parent of %j is %j', (at, parent) => expect(parentPointer(at)).toBe(parent));

  it('locates an escaped key in JSON and YAML the same way it is built', () => {
    const json = '{"data": {"a/b": 1, "c~d": 2}}';
    const doc = parseJson(json, 'x.json');
    const span = doc.locate(pointer('data', 'a/b'))!;
    expect(json.slice(span.start, span.end)).toBe('1');
    const tilde = doc.locate(pointer('data', 'c~d'))!;
    expect(json.slice(tilde.start, tilde.end)).toBe('2');

    const yaml = 'data:\n  a/b: one\n  c~d: two\n';
    const locate = yamlLocator('x.yaml', parseYaml(yaml, 'x.yaml')[0]!.root);
    const ySpan = locate(pointer('data', 'c~d'))!;
    expect(yaml.slice(ySpan.start, ySpan.end)).toBe('two');
    const slash = locate(pointer('data', 'a/b'))!;
    expect(yaml.slice(slash.start, slash.end)).toBe('one');
  });
});
