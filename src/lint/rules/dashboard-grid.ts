import type { GridPosJson } from '../../model/project-model.js';
import { defineRule } from '../types.js';
import { panelSubject, panelsOf, type PanelVisit } from '../walk.js';
import { pointerUnder } from '../../model/pointer.js';

const COLUMNS = 24;

export default defineRule({
  meta: { id: 'dashboard/grid', defaultSeverity: 'error', scope: 'container', summary: 'Panels overlap, leave the 24-column grid, or have no size.' },
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
          report({ in: dashboard, at: pointerUnder(visit.at, 'gridPos'), subject, message: `gridPos {x: ${x}, y: ${y}, w: ${w}, h: ${h}} has no size or a negative position` });
          continue;
        }
        if (x + w > COLUMNS) {
          report({ in: dashboard, at: pointerUnder(visit.at, 'gridPos'), subject, message: `panel spans columns ${x}–${x + w}, past the grid's ${COLUMNS} columns` });
        }
        placed.push({ ...visit, gridPos });
      }
      // Each panel is reported against the first panel before it that it overlaps; panels folded in a
      // collapsed row only meet panels of the same row.
      const groups = new Map<PanelVisit['row'], Array<PanelVisit & { gridPos: GridPosJson }>>();
      for (const visit of placed) {
        const group = groups.get(visit.row) ?? [];
        group.push(visit);
        groups.set(visit.row, group);
      }
      for (const group of groups.values()) {
        firstOverlaps(group.map((v) => v.gridPos)).forEach((other, i) => {
          if (other === undefined) return;
          const a = group[i]!;
          const b = group[other]!;
          report({
            in: dashboard,
            at: pointerUnder(a.at, 'gridPos'),
            subject: panelSubject(dashboard, a.panel),
            message: `panel overlaps ${typeof b.panel.title === 'string' && b.panel.title ? `"${b.panel.title}"` : `untitled panel ${String(b.panel.id ?? '')}`.trim()} (x ${a.gridPos.x}, y ${a.gridPos.y} against x ${b.gridPos.x}, y ${b.gridPos.y})`,
            related: [{ message: 'the other panel', in: dashboard, at: b.at }],
          });
        });
      }
    }
  },
});

/**
 * For each rectangle, the index of the first earlier one it overlaps. Sub-quadratic: the columns are cut
 * into slabs at every x edge, and each slab keeps the y ranges already covered with the first rectangle
 * that covered them, so a rectangle only looks at what lies under it.
 */
export function firstOverlaps(boxes: readonly GridPosJson[]): Array<number | undefined> {
  const edges = [...new Set(boxes.flatMap((b) => [b.x, b.x + b.w]))].sort((a, b) => a - b);
  const slabOf = new Map(edges.map((x, i) => [x, i]));
  const slabs: Covered[] = edges.map(() => new Covered());
  return boxes.map((box, index) => {
    const from = slabOf.get(box.x)!;
    const to = slabOf.get(box.x + box.w)!;
    let first: number | undefined;
    for (let s = from; s < to; s++) {
      const owner = slabs[s]!.firstOwner(box.y, box.y + box.h);
      if (owner !== undefined && (first === undefined || owner < first)) first = owner;
    }
    for (let s = from; s < to; s++) slabs[s]!.cover(box.y, box.y + box.h, index);
    return first;
  });
}

/** Disjoint covered ranges `[start, end)` of one slab, sorted, each with the first rectangle that covered it. */
class Covered {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly owners: number[] = [];

  /** The first range ending after `y`. */
  private after(y: number): number {
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ends[mid]! <= y) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  firstOwner(start: number, end: number): number | undefined {
    let first: number | undefined;
    for (let i = this.after(start); i < this.starts.length && this.starts[i]! < end; i++) {
      if (first === undefined || this.owners[i]! < first) first = this.owners[i];
    }
    return first;
  }

  /** Covers the gaps of `[start, end)` with `owner` (what is covered keeps its first owner). */
  cover(start: number, end: number, owner: number): void {
    let i = this.after(start);
    let y = start;
    while (y < end) {
      const next = i < this.starts.length ? this.starts[i]! : Infinity;
      if (next > y) {
        const gapEnd = Math.min(next, end);
        this.starts.splice(i, 0, y);
        this.ends.splice(i, 0, gapEnd);
        this.owners.splice(i, 0, owner);
        i++;
        y = gapEnd;
      } else {
        y = Math.max(y, this.ends[i]!);
        i++;
      }
    }
  }
}
