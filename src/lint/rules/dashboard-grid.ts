import type { GridPosJson } from '../../model/project-model.js';
import { defineRule } from '../types.js';
import { panelSubject, panelsOf, type PanelVisit } from '../walk.js';

const COLUMNS = 24;

export default defineRule({
  meta: { id: 'dashboard/grid', defaultSeverity: 'error', summary: 'Panels overlap, leave the 24-column grid, or have no size.' },
  check({ model, report }) {
    for (const dashboard of model.dashboards) {
      const visits = panelsOf(dashboard);
      const placed: Array<PanelVisit & { gridPos: GridPosJson }> = [];
      for (const visit of visits) {
        const gridPos = visit.panel.gridPos;
        if (!gridPos) continue;
        if (visit.panel.type === 'row') {
          // Grafana draws rows across the whole grid, one line tall, whatever their gridPos says.
          if (typeof gridPos.y === 'number') placed.push({ ...visit, gridPos: { x: 0, y: gridPos.y, w: COLUMNS, h: 1 } });
          continue;
        }
        const { x, y, w, h } = gridPos;
        const subject = panelSubject(dashboard, visit.panel);
        // Missing coordinates are filled in by Grafana's layout; only what is written is checked.
        if (![x, y, w, h].every((n) => typeof n === 'number' && Number.isFinite(n))) continue;
        if (w < 1 || h < 1 || x < 0 || y < 0) {
          report({ in: dashboard, at: `${visit.at}/gridPos`, subject, message: `gridPos {x: ${x}, y: ${y}, w: ${w}, h: ${h}} has no size or a negative position` });
          continue;
        }
        if (x + w > COLUMNS) {
          report({ in: dashboard, at: `${visit.at}/gridPos`, subject, message: `panel spans columns ${x}–${x + w}, past the grid's ${COLUMNS} columns` });
        }
        placed.push({ ...visit, gridPos });
      }
      const reported = new Set<string>();
      for (let i = 0; i < placed.length; i++) {
        for (let j = 0; j < i; j++) {
          const a = placed[i]!;
          const b = placed[j]!;
          // Panels folded in a collapsed row only meet panels of the same row.
          if (a.row !== b.row) continue;
          if (overlaps(a.gridPos, b.gridPos) && !reported.has(a.at)) {
            reported.add(a.at);
            report({
              in: dashboard,
              at: `${a.at}/gridPos`,
              subject: panelSubject(dashboard, a.panel),
              message: `panel overlaps ${typeof b.panel.title === 'string' && b.panel.title ? `"${b.panel.title}"` : `untitled panel ${String(b.panel.id ?? '')}`.trim()} (x ${a.gridPos.x}, y ${a.gridPos.y} against x ${b.gridPos.x}, y ${b.gridPos.y})`,
              related: [{ message: 'the other panel', in: dashboard, at: b.at }],
            });
          }
        }
      }
    }
  },
});

function overlaps(a: GridPosJson, b: GridPosJson): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}
