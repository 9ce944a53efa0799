import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS generator scripts
import { generateSchema, SCHEMAS } from '../../scripts/gen-schemas.mjs';
// @ts-expect-error plain JS generator scripts
import { generateDashboardSchema, TARGET as DASHBOARD_SCHEMA_TARGET } from '../../scripts/gen-dashboard-schema.mjs';
// @ts-expect-error plain JS generator scripts
import { generateUnits } from '../../scripts/gen-units.mjs';
import { isUnit } from '../../src/model/unit.js';
import { REPO_ROOT } from '../helpers/project.js';

describe('generated sources are current (run `npm run gen` when this fails)', () => {
  it('src/model/units.gen.ts matches the foundation SDK', () => {
    expect(readFileSync(path.join(REPO_ROOT, 'src/model/units.gen.ts'), 'utf8')).toBe(generateUnits());
  });

  it.each((SCHEMAS as Array<{ target: string }>).map((s) => [s.target, s]))('%s matches its TS type', (target, spec) => {
    expect(readFileSync(path.join(REPO_ROOT, target), 'utf8')).toBe(generateSchema(spec));
  });

  // Generating reads @grafana/schema's types for 15 files: tens of seconds of CPU.
  it(`${DASHBOARD_SCHEMA_TARGET} matches @grafana/schema`, { timeout: 600_000 }, () => {
    expect(readFileSync(path.join(REPO_ROOT, DASHBOARD_SCHEMA_TARGET), 'utf8')).toBe(generateDashboardSchema());
  });
});

describe('units', () => {
  it.each(['reqps', 'percentunit', 'currencyUSD', 's', 'bytes', 'suffix: req', 'currency:EUR'])('%s is a unit', (u) => expect(isUnit(u)).toBe(true));
  it.each(['reqs', 'seconds', 'suffix:', '', 'PERCENT'])('%j is not', (u) => expect(isUnit(u)).toBe(false));
});
