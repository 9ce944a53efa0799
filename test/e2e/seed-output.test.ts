import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.js';
import { validateDashboard } from '../helpers/grafana-schema.js';
import { REPO_ROOT } from '../helpers/project.js';
import { requireTool, runTool } from '../helpers/tools.js';
import { writeOut } from '../../src/emit/out-dir.js';

// Builds the repository's own definitions/ into a scratch out/ and checks it with the real validators.
let outDir: string;
let outputs: Array<{ path: string; content: string }>;

beforeAll(async () => {
  // --check compiles without touching the repository's out/; the files go to a scratch folder.
  const result = await build({ cwd: REPO_ROOT, check: true });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  outputs = result.outputs;
  outDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'moncode-seed-')), 'out');
  writeOut(outDir, outputs);
});

describe('the definitions/ build', () => {
  it('matches the committed out/ (run `npx mon-build` when this fails)', async () => {
    const result = await build({ cwd: REPO_ROOT, check: true });
    expect(result.diff).toEqual({ changed: [], added: [], removed: [] });
  });

  it('writes the Agent API dashboards and rules', () => {
    const paths = outputs.map((o) => o.path);
    expect(paths).toEqual(expect.arrayContaining([
      'grafana/dashboards/agent-api/agent-metrics.json',
      'grafana/dashboards/agent-api/token-usage.json',
      'grafana/dashboards/agent-api/system-health.json',
      'prometheus/rules/agent-api.rules.yml',
      'grafana/provisioning/dashboards/agent-api.yaml',
      'grafana/provisioning/datasources/agent-api.yaml',
    ]));
  });

  it('every dashboard validates against the schema generated from @grafana/schema', () => {
    const dashboards = outputs.filter((o) => o.path.startsWith('grafana/dashboards/'));
    expect(dashboards.length).toBeGreaterThan(0);
    for (const file of dashboards) {
      const json = JSON.parse(file.content) as Record<string, unknown>;
      expect(validateDashboard(json), file.path).toEqual([]);
    }
  });

  it('every dashboard is at schemaVersion 42 with unique ids and panels inside the grid that never overlap', () => {
    for (const file of outputs.filter((o) => o.path.startsWith('grafana/dashboards/'))) {
      const json = JSON.parse(file.content) as { schemaVersion: number; panels: Array<{ id: number; type: string; gridPos: { x: number; y: number; w: number; h: number }; panels?: unknown[] }> };
      expect(json.schemaVersion, file.path).toBe(42);
      const ids = json.panels.map((p) => p.id);
      expect(new Set(ids).size, file.path).toBe(ids.length);
      for (const [i, a] of json.panels.entries()) {
        expect(a.gridPos.x + a.gridPos.w, `${file.path} panel ${a.id}`).toBeLessThanOrEqual(24);
        for (const b of json.panels.slice(0, i)) {
          const overlap = a.gridPos.x < b.gridPos.x + b.gridPos.w && b.gridPos.x < a.gridPos.x + a.gridPos.w && a.gridPos.y < b.gridPos.y + b.gridPos.h && b.gridPos.y < a.gridPos.y + a.gridPos.h;
          expect(overlap, `${file.path}: panels ${a.id} and ${b.id} overlap`).toBe(false);
        }
      }
    }
  });

  const promtool = requireTool('promtool');
  it.skipIf(!promtool)('every rule file passes promtool check rules', () => {
    const dir = path.join(outDir, 'prometheus', 'rules');
    const files = readdirSync(dir).map((f) => path.join(dir, f));
    expect(files.length).toBeGreaterThan(0);
    const result = runTool(promtool!, ['check', 'rules', ...files]);
    expect(result.output).toContain('SUCCESS');
    expect(result.code, result.output).toBe(0);
  });
});
