import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { validateDashboardV2 } from '../helpers/grafana-schema.js';
import { runBin } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/project.js';

// examples/grafana-13: its own mon.config.ts (schema v2, dashboard.grafana.app resources), built by
// mon-build run inside it; the committed out/ must be what a build writes, and valid v2.
const EXAMPLE = path.join(REPO_ROOT, 'examples', 'grafana-13');

describe('examples/grafana-13', () => {
  it('mon-build --check inside it passes: out/ is current', () => {
    const result = runBin('mon-build', ['--check'], EXAMPLE);
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(result.code).toBe(0);
  }, 120_000);

  it('its dashboard and its Git Sync resource are valid v2', () => {
    const dashboard = JSON.parse(readFileSync(path.join(EXAMPLE, 'out/grafana/dashboards/shop/shop.json'), 'utf8')) as Record<string, any>;
    expect(validateDashboardV2(dashboard)).toEqual([]);
    expect(dashboard.spec.layout.spec.rows[0].spec.layout.kind).toBe('AutoGridLayout');
    const resource = YAML.parse(readFileSync(path.join(EXAMPLE, 'out/kubernetes/shop/grafana-dashboard-shop.yaml'), 'utf8')) as Record<string, unknown>;
    expect(resource).toEqual(dashboard);
  }, 120_000);
});
