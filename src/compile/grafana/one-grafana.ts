import { datasourceUid, type Datasource } from '../../model/datasource.js';
import { whereOf, type Where } from '../../model/source-location.js';
import { INVALID, type Problems } from '../../model/diagnostic.js';
import type { DashboardModel } from '../../model/project-model.js';

export interface ProvisionedDatasource {
  system: string;
  ds: Datasource;
}

const orgOf = (ds: Datasource): number => ds.orgId ?? 1;

/**
 * Every system's provisioning loads into one Grafana, so what Grafana keys by organisation must be
 * unique across systems: datasource names (provisioning upserts by name, so a second "Prometheus"
 * silently replaces the first), uids (the datasource table's unique key), and the default datasource
 * (Grafana stops provisioning datasources when an organisation gets two). Returns the datasources
 * written with `isDefault: true`: per organisation the one mon.config.ts names, else the only one
 * marked `isDefault`.
 */
export function checkOneGrafana(provisioned: readonly ProvisionedDatasource[], configured: { value: string; where: Where | undefined } | undefined, problems: Problems): Set<Datasource> {
  const byName = new Map<string, ProvisionedDatasource>();
  const byUid = new Map<string, ProvisionedDatasource>();
  for (const entry of provisioned) {
    const { ds, system } = entry;
    const org = orgOf(ds);
    const nameKey = `${org}\0${ds.name}`;
    const uidKey = `${org}\0${datasourceUid(ds)}`;
    const sameName = byName.get(nameKey);
    const sameUid = byUid.get(uidKey);
    if (sameName && sameName.system !== system) {
      problems.error(
        INVALID,
        `datasource name "${ds.name}" is also used by system ${sameName.system}: one Grafana organisation holds one datasource per name (a second one provisioned replaces the first), give each system's its own name, e.g. "${system} ${ds.name}"`,
        whereOf(ds, 'name'),
        ds.name,
      );
    } else if (sameUid && sameUid.system !== system) {
      problems.error(
        INVALID,
        `datasource uid "${datasourceUid(ds)}" is also used by system ${sameUid.system} ("${sameUid.ds.name}"): uids are unique in a Grafana organisation, give it its own (\`uid\`)`,
        whereOf(ds, ds.uid === undefined ? 'name' : 'uid'),
        ds.name,
      );
    }
    if (!sameName) byName.set(nameKey, entry);
    if (!sameUid) byUid.set(uidKey, entry);
  }

  const defaults = new Set<Datasource>();
  const defaultOrgs = new Set<number>();
  if (configured) {
    const named = provisioned.filter(({ ds }) => datasourceUid(ds) === configured.value);
    const found = named.length ? named : provisioned.filter(({ ds }) => ds.name === configured.value);
    if (found.length === 1) {
      defaults.add(found[0]!.ds);
      defaultOrgs.add(orgOf(found[0]!.ds));
    } else {
      const known = provisioned.map(({ ds }) => `"${datasourceUid(ds)}"`).join(', ');
      problems.error(
        INVALID,
        found.length === 0
          ? `grafana.defaultDatasource "${configured.value}" is the uid or name of no datasource the systems provision${known ? ` (uids: ${known})` : ''}`
          : `grafana.defaultDatasource "${configured.value}" names ${found.length} datasources (${found.map((f) => f.system).join(', ')}): give its uid`,
        configured.where,
        'grafana.defaultDatasource',
      );
    }
  }
  const firstDefault = new Map<number, ProvisionedDatasource>();
  for (const entry of provisioned) {
    const { ds, system } = entry;
    const org = orgOf(ds);
    if (ds.isDefault !== true || defaultOrgs.has(org)) continue;
    const earlier = firstDefault.get(org);
    if (earlier) {
      problems.error(
        INVALID,
        `organisation ${org} already has a default datasource, "${earlier.ds.name}" of system ${earlier.system}: Grafana refuses provisioning with two ("Only one datasource per organization can be marked as default"); name the one default in mon.config.ts (grafana.defaultDatasource)${earlier.system === system ? '' : ', isDefault stays the default of its own system'}`,
        whereOf(ds, 'isDefault'),
        ds.name,
      );
      continue;
    }
    firstDefault.set(org, entry);
    defaults.add(ds);
  }
  return defaults;
}

export interface DashboardProvider {
  system: string;
  folder: string;
  name: string;
}

/**
 * One file provider per system and folder, each over its own folder of dashboards: providers over
 * one path would each load the same files (Grafana logs "the same uid is used more than once" and
 * keeps one). A folder two systems write into is an error at the second system's dashboard.
 */
export function dashboardProviders(dashboards: readonly DashboardModel[], problems: Problems): DashboardProvider[] {
  const owner = new Map<string, string>();
  const providers: DashboardProvider[] = [];
  const sorted = [...dashboards].sort((a, b) => (a.system < b.system ? -1 : a.system > b.system ? 1 : 0));
  for (const dashboard of sorted) {
    const earlier = owner.get(dashboard.folder);
    if (earlier === undefined) {
      owner.set(dashboard.folder, dashboard.system);
      providers.push({ system: dashboard.system, folder: dashboard.folder, name: dashboard.folder === dashboard.system ? dashboard.system : `${dashboard.system}-${dashboard.folder}` });
    } else if (earlier !== dashboard.system) {
      problems.error(
        INVALID,
        `folder "${dashboard.folder}" already holds the dashboards of system ${earlier}: each system's dashboards load through a provider of its own, over a folder of its own; choose another \`folder\``,
        dashboard.locator.get('/folder') ?? dashboard.locator.get(''),
        dashboard.title,
      );
    }
  }
  return providers;
}
