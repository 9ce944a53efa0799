import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderRuleIndex } from '../../src/lint/rule-index.js';
import { ALL_RULES } from '../../src/lint/rules/index.js';
import { REPO_ROOT } from '../helpers/project.js';
import { lintFiles } from '../lint/tester.js';

interface Page {
  text: string;
  severity?: string;
  summary?: string;
  /** Files of a section (`## Bad`, `## Good`), from fenced blocks tagged `file=NAME`. */
  sections: Map<string, Record<string, string>>;
}

function readPage(file: string): Page {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const sections = new Map<string, Record<string, string>>();
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const heading = /^## (.+)$/.exec(lines[i]!);
    if (heading) section = heading[1]!;
    const fence = /^```\w*\s+file=(\S+)\s*$/.exec(lines[i]!);
    if (!fence) continue;
    const end = lines.indexOf('```', i + 1);
    const files = sections.get(section) ?? {};
    files[fence[1]!] = lines.slice(i + 1, end).join('\n') + '\n';
    sections.set(section, files);
    i = end;
  }
  return {
    text,
    severity: /^Severity: \*\*(\w+)\*\*$/m.exec(text)?.[1],
    summary: lines.find((line, i) => i > 0 && line !== '' && !line.startsWith('#') && !line.startsWith('Severity:')),
    sections,
  };
}

describe.each(ALL_RULES.map((rule) => [rule.meta.id, rule.meta]))('docs page of %s', (id, meta) => {
  const file = path.join(REPO_ROOT, meta.docs);

  it('exists and matches the rule metadata', () => {
    expect(existsSync(file), `${meta.docs} is missing`).toBe(true);
    const page = readPage(file);
    expect(page.text.startsWith(`# ${id}\n`)).toBe(true);
    expect(page.severity).toBe(meta.defaultSeverity);
    expect(page.summary).toBe(meta.summary);
    expect(page.text).toMatch(/^## Why$/m);
  });

  it('its bad example triggers the rule and its good example does not', async () => {
    const page = readPage(file);
    const bad = page.sections.get('Bad');
    const good = page.sections.get('Good');
    expect(bad, 'a `## Bad` section with `file=` blocks').toBeDefined();
    expect(good, 'a `## Good` section with `file=` blocks').toBeDefined();
    const badFound = (await lintFiles(bad!)).filter((d) => d.rule === id);
    expect(badFound.length).toBeGreaterThan(0);
    const goodFound = (await lintFiles(good!)).filter((d) => d.rule === id);
    expect(goodFound.map((d) => `${d.file}:${d.line} ${d.message}`)).toEqual([]);
  });
});

describe('docs/rules/README.md', () => {
  it('is current with the rules (run `npm run gen` when this fails)', () => {
    expect(readFileSync(path.join(REPO_ROOT, 'docs/rules/README.md'), 'utf8')).toBe(renderRuleIndex(ALL_RULES.map((rule) => rule.meta)));
  });
});
