import type { DashboardModel, GrafanaPanelJson } from '../model/project-model.js';

export interface PanelVisit {
  panel: GrafanaPanelJson;
  /** JSON pointer of the panel in its dashboard. */
  at: string;
  /** The collapsed row holding it, if any. */
  row?: GrafanaPanelJson;
}

/** Every panel of a dashboard, rows included, also those folded inside collapsed rows. */
export function panelsOf(dashboard: DashboardModel): PanelVisit[] {
  const visits: PanelVisit[] = [];
  (dashboard.json.panels ?? []).forEach((panel, i) => {
    if (!isObject(panel)) return;
    visits.push({ panel, at: `/panels/${i}` });
    if (Array.isArray(panel.panels)) {
      panel.panels.forEach((nested, j) => {
        if (isObject(nested)) visits.push({ panel: nested, at: `/panels/${i}/panels/${j}`, row: panel });
      });
    }
  });
  return visits;
}

export function panelSubject(dashboard: DashboardModel, panel: GrafanaPanelJson): string {
  return `${dashboard.title} / ${typeof panel.title === 'string' && panel.title ? panel.title : `panel ${String(panel.id ?? '?')}`}`;
}

function isObject(value: unknown): value is GrafanaPanelJson {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
