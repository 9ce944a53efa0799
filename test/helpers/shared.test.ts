import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireShared } from './shared.js';

describe('requireShared', () => {
  const root = path.join(os.tmpdir(), 'moncode-no-shared-here');

  it('fails in CI when ../shared is missing', () => {
    expect(() => requireShared('corpus', { CI: '1' }, root)).toThrow(/corpus is missing: in CI the tests that read \.\.\/shared fail rather than skip/);
  });

  it('skips outside CI when ../shared is missing', () => {
    expect(requireShared('corpus', {}, root)).toEqual({ path: path.join(root, 'corpus'), present: false });
  });

  it('finds what is there', () => {
    expect(requireShared(path.basename(import.meta.filename), { CI: '1' }, import.meta.dirname).present).toBe(true);
  });
});
