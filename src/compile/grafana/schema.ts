import type * as schema from '@grafana/schema';

/**
 * The compiled dashboard's types: @grafana/schema's, so the compiler cannot write a field
 * Grafana's dashboard schema lacks. Where Grafana itself writes fields its schema leaves
 * out, they are added here by name, each with the reason (test/helpers/grafana-schema.ts
 * allows the same ones when it validates out/).
 */

/** A panel link as Grafana writes it: a data link, not the schema's dashboard link. */
interface PanelLinkJson {
  title: string;
  url: string;
  targetBlank: boolean;
}

export type PanelJson = Omit<schema.Panel, 'links'> & { links?: PanelLinkJson[] };

export type RowPanelJson = Omit<schema.RowPanel, 'panels'> & { panels: PanelJson[] };

/** An annotation; a Prometheus one carries its query in the legacy fields Grafana still reads. */
export type AnnotationJson = Omit<schema.AnnotationQuery, 'target'> & {
  target?: { type: string; tags: string[]; limit: number; matchAny: boolean };
  expr?: string;
  step?: string;
  tagKeys?: string;
  titleFormat?: string;
  textFormat?: string;
};

/** A variable; interval variables keep Grafana's "Auto option" settings, query variables their definition, ad hoc ones their filters. */
export type VariableJson = schema.VariableModel & {
  auto?: boolean;
  auto_count?: number;
  auto_min?: string;
  definition?: string;
  filters?: unknown[];
};

export type DashboardJson = Omit<schema.Dashboard, 'panels' | 'annotations' | 'templating'> & {
  panels: Array<PanelJson | RowPanelJson>;
  annotations: { list: AnnotationJson[] };
  templating: { list: VariableJson[] };
};

/** The fields of `source` named in `keys` that are set (a field left undefined is not written). */
export function definedFields<S extends object, K extends keyof S>(source: S, keys: readonly K[]): Pick<S, K> {
  const picked: Partial<Pick<S, K>> = {};
  for (const key of keys) if (source[key] !== undefined) picked[key] = source[key];
  return picked as Pick<S, K>;
}
