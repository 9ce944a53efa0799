import type { DatasourceDeclaration, LoadedResource } from '../../model/project-model.js';
import { datasourceUid, type Datasource } from '../../model/datasource.js';
import { whereOf } from '../../model/source-location.js';
import { INVALID, type Problems } from '../../model/diagnostic.js';

export interface DatasourceRefJson {
  type: string;
  uid: string;
}

type Resolution = { ref?: DatasourceRefJson; error?: string };

const VARIABLE_REF = /^\$\{?(\w+)\}?$/;

/**
 * The datasources of a project: those exported by each system, and those its
 * dashboards refer to. Panels name them by value (`datasource: metrics`) or
 * by name/uid string; `$var` refers to a datasource variable.
 */
export class DatasourceRegistry {
  private readonly bySystem = new Map<string, Datasource[]>();
  private readonly used = new Map<string, Set<Datasource>>();
  private readonly all: Datasource[] = [];

  constructor(resources: readonly LoadedResource[], problems: Problems) {
    for (const resource of resources) {
      if (resource.kind !== 'datasource') continue;
      const ds = resource.value as Datasource;
      const list = this.bySystem.get(resource.system) ?? [];
      const clash = list.find((other) => other.name === ds.name || datasourceUid(other) === datasourceUid(ds));
      if (clash) {
        problems.error(INVALID, `datasource "${ds.name}" (uid ${datasourceUid(ds)}) is declared twice in ${resource.system}`, whereOf(ds, 'name'), ds.name);
        continue;
      }
      list.push(ds);
      this.bySystem.set(resource.system, list);
      this.all.push(ds);
    }
  }

  /** Resolves a datasource a panel, target or variable names, for a query of plugin `type`. */
  resolve(system: string, named: Datasource | string | undefined, type: string, variables: ReadonlySet<string>): Resolution {
    if (named === undefined) {
      const fallback = this.defaultFor(system, type);
      if (fallback) this.markUsed(system, fallback);
      return { ref: fallback ? { type: fallback.type, uid: datasourceUid(fallback) } : undefined };
    }
    if (typeof named !== 'string') {
      this.markUsed(system, named);
      return { ref: { type: named.type, uid: datasourceUid(named) } };
    }
    const variable = VARIABLE_REF.exec(named);
    if (variable) {
      if (!variables.has(variable[1]!)) return { error: `datasource "${named}" refers to no variable of this dashboard` };
      return { ref: { type, uid: `\${${variable[1]}}` } };
    }
    // A name resolves among the system's own datasources only: one Grafana holds every team's, and another team's "Prometheus" is never meant.
    const own = this.bySystem.get(system) ?? [];
    const byName = own.find((ds) => ds.name === named);
    const byUid = own.find((ds) => datasourceUid(ds) === named);
    if (byName && byUid && byName !== byUid) {
      return {
        error: `datasource "${named}" is ambiguous in ${system}: it is the name of one datasource (uid ${datasourceUid(byName)}) and the uid of another ("${byUid.name}"); refer to the datasource by value`,
      };
    }
    const found = byName ?? byUid;
    if (!found) {
      const elsewhere = [...this.bySystem].filter(([other, list]) => other !== system && list.some((ds) => ds.name === named || datasourceUid(ds) === named)).map(([other]) => other);
      const known = own.map((ds) => `"${ds.name}"`);
      return {
        error:
          `unknown datasource "${named}"` +
          (known.length ? `: declared are ${known.join(', ')}` : ': declare it with datasource({ … }) and export it') +
          (elsewhere.length ? `; system ${elsewhere.join(', ')} declares one, but a name resolves only inside its own system (refer to another system's datasource by value)` : ''),
      };
    }
    this.markUsed(system, found);
    return { ref: { type: found.type, uid: datasourceUid(found) } };
  }

  /** The system's default datasource of a plugin type: marked `isDefault`, or its only one. Never another system's. */
  defaultFor(system: string, type: string): Datasource | undefined {
    const own = (this.bySystem.get(system) ?? []).filter((ds) => ds.type === type);
    return own.find((ds) => ds.isDefault) ?? (own.length === 1 ? own[0] : undefined);
  }

  /**
   * Datasources a system provisions: those it exports, and those its dashboards use that no
   * system exports (from shared modules; the first system using one provisions it, once).
   */
  forSystem(system: string): Datasource[] {
    const list = [...(this.bySystem.get(system) ?? [])];
    for (const ds of this.used.get(system) ?? []) {
      if (list.includes(ds) || this.all.includes(ds)) continue;
      const first = [...this.used]
        .filter(([, set]) => set.has(ds))
        .map(([other]) => other)
        .sort()[0];
      if (first === system) list.push(ds);
    }
    return list;
  }

  /** Every datasource known, for checks of dashboards read from files. */
  declarations(): DatasourceDeclaration[] {
    const list: DatasourceDeclaration[] = [];
    for (const [system, datasources] of this.bySystem) for (const ds of datasources) list.push({ name: ds.name, uid: datasourceUid(ds), type: ds.type, system });
    return list;
  }

  systems(): string[] {
    return [...new Set([...this.bySystem.keys(), ...this.used.keys()])].sort();
  }

  /** Whether the system's dashboards use a datasource no system exports (its provisioning depends on the other systems'). */
  usesUnexported(system: string): boolean {
    return [...(this.used.get(system) ?? [])].some((ds) => !this.all.includes(ds));
  }

  private markUsed(system: string, ds: Datasource): void {
    const set = this.used.get(system) ?? new Set();
    set.add(ds);
    this.used.set(system, set);
  }
}
