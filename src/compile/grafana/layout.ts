import type { GridPos, Panel, PanelType, Row } from '../../model/panel.js';

const GRID_COLUMNS = 24;

const DEFAULT_WIDTH: Partial<Record<PanelType, number>> = { stat: 6, gauge: 6, bargauge: 6, text: 24 };
const DEFAULT_HEIGHT: Partial<Record<PanelType, number>> = { stat: 4, gauge: 6, bargauge: 6, text: 6 };

interface PlacedPanel {
  panel: Panel;
  gridPos: { x: number; y: number; w: number; h: number };
}

interface PlacedRow {
  row: Row;
  y: number;
  panels: PlacedPanel[];
}

interface Layout {
  /** Panels above the first row. */
  top: PlacedPanel[];
  rows: PlacedRow[];
}

/**
 * Lays panels out on Grafana's 24-column grid: rows top to bottom, panels left
 * to right in the order written, wrapping when a line is full. A panel's width
 * and height come from `width`/`height` or a default for its type; a panel with
 * an explicit `gridPos` sits there (relative to its row) and the others flow
 * around it. Overlaps between explicit positions are left for `dashboard/grid`.
 */
export function layout(items: ReadonlyArray<Panel | Row>): Layout {
  const top: Panel[] = [];
  const rows: Array<{ row: Row; panels: Panel[] }> = [];
  for (const item of items) {
    if (item.type === 'row')
      rows.push({ row: item, panels: [...(item.panels as Panel[])] }); // flattenSections leaves no tabs in rows
    else if (rows.length === 0) top.push(item);
    else rows[rows.length - 1]!.panels.push(item); // a loose panel after a row belongs to it, as in Grafana
  }
  let y = 0;
  const placedTop = pack(top, y);
  y = bottom(placedTop, y);
  const placedRows: PlacedRow[] = [];
  for (const { row, panels: rowPanels } of rows) {
    const rowY = y;
    const panels = pack(rowPanels, rowY + 1);
    placedRows.push({ row, y: rowY, panels });
    y = row.collapsed ? rowY + 1 : bottom(panels, rowY + 1);
  }
  return { top: placedTop, rows: placedRows };
}

function bottom(panels: readonly PlacedPanel[], from: number): number {
  return panels.reduce((max, { gridPos }) => Math.max(max, gridPos.y + gridPos.h), from);
}

/** A grid cell's key: a number for the usual cells (a string per cell was most of the layout's time), a string for positions out of the grid. */
function cell(col: number, row: number): number | string {
  return Number.isInteger(col) && Number.isInteger(row) && col >= 0 && col < 1024 && row >= 0 && row < 2 ** 40 ? row * 1024 + col : `${col},${row}`;
}

function pack(panels: readonly Panel[], originY: number): PlacedPanel[] {
  const occupied = new Set<number | string>();
  const occupy = ({ x, y, w, h }: PlacedPanel['gridPos']): void => {
    for (let row = y; row < y + h; row++) for (let col = x; col < x + w; col++) occupied.add(cell(col, row));
  };
  const free = (x: number, y: number, w: number, h: number): boolean => {
    for (let row = y; row < y + h; row++) for (let col = x; col < x + w; col++) if (occupied.has(cell(col, row))) return false;
    return true;
  };

  const placed = new Map<Panel, PlacedPanel['gridPos']>();
  for (const panel of panels) {
    if (!panel.gridPos) continue;
    const gridPos = { ...explicit(panel.gridPos), y: panel.gridPos.y + originY };
    placed.set(panel, gridPos);
    occupy(gridPos);
  }

  let cursorX = 0;
  let cursorY = originY;
  let lineHeight = 0;
  for (const panel of panels) {
    if (panel.gridPos) continue;
    const w = Math.min(GRID_COLUMNS, Math.max(1, panel.width ?? DEFAULT_WIDTH[panel.type] ?? 12));
    const h = Math.max(1, panel.height ?? DEFAULT_HEIGHT[panel.type] ?? 8);
    for (;;) {
      if (cursorX + w > GRID_COLUMNS) {
        cursorY += Math.max(lineHeight, 1);
        cursorX = 0;
        lineHeight = 0;
      }
      if (free(cursorX, cursorY, w, h)) break;
      cursorX += 1;
    }
    const gridPos = { x: cursorX, y: cursorY, w, h };
    placed.set(panel, gridPos);
    occupy(gridPos);
    cursorX += w;
    lineHeight = Math.max(lineHeight, h);
  }
  return panels.map((panel) => ({ panel, gridPos: placed.get(panel)! }));
}

function explicit(gridPos: GridPos): PlacedPanel['gridPos'] {
  return { x: gridPos.x, y: gridPos.y, w: gridPos.w, h: gridPos.h };
}
