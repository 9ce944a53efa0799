import { describe, expect, it } from 'vitest';
import { matchesValue, parseMatcher } from '../../src/model/matcher.js';

describe('parseMatcher', () => {
  it.each([
    ['severity="critical"', { label: 'severity', op: '=', value: 'critical' }],
    ['severity=~"critical|warning"', { label: 'severity', op: '=~', value: 'critical|warning' }],
    ['{team!=db}', { label: 'team', op: '!=', value: 'db' }],
    ['"quoted label"!~"x.*"', { label: 'quoted label', op: '!~', value: 'x.*' }],
  ])('reads %s', (text, expected) => expect(parseMatcher(text, '/m')).toEqual({ ...expected, at: '/m' }));

  it.each(['severity', 'severity=critical"', '=x'])('rejects %j', (text) => expect(parseMatcher(text, '')).toBeUndefined());
});

describe('matchesValue', () => {
  it.each([
    ['=', 'a', 'a', true],
    ['=', 'a', 'b', false],
    ['!=', 'a', 'b', true],
    ['=~', '5..', '503', true],
    ['=~', '5..', '1503', false],
    ['!~', '5..', '200', true],
    ['!~', '5..', '500', false],
  ] as const)('%s %j against %j is %s (regexes anchored)', (op, value, candidate, result) => {
    expect(matchesValue({ op, value }, candidate)).toBe(result);
  });

  it('knows nothing of a regex that does not compile', () => {
    expect(matchesValue({ op: '=~', value: '(' }, 'x')).toBeUndefined();
  });
});
