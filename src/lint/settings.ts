import { DEFAULT_PROMETHEUS_VERSION, type LintConfig } from '../model/config.js';
import { parseDuration } from '../model/duration.js';
import { BUILT_IN_SEVERITIES } from '../model/severity.js';

/** Lint configuration with every default filled in. */
export interface LintSettings {
  alertLabels: Record<string, readonly string[]>;
  recordLabels: Record<string, readonly string[]>;
  runbookAnnotations: readonly string[];
  runbookExemptSeverities: readonly string[];
  runbookBaseUrls: readonly string[];
  alertAnnotations: readonly string[];
  targetLabels: readonly string[];
  implicitLevelLabels: readonly string[];
  duplicateScope: 'deployment' | 'directory' | 'file';
  /** Scrape interval (ms) of a system's Prometheus. */
  scrapeInterval(system: string): number;
  /** Rule evaluation interval (ms) of a system's Prometheus. */
  evaluationInterval(system: string): number;
  /** The repository root runbook paths resolve against, for a file. */
  repositoryRoot(file: string): string | undefined;
  /** The Prometheus a system's rules load in: version, flavor and feature flags. */
  prometheus(system: string): PrometheusRuntime;
  /** Notes a file a rule read or looked for (mon-build --watch rebuilds when it changes or appears). */
  consulted(file: string): void;
}

interface PrometheusRuntime {
  version: string;
  flavor: string;
  features: readonly string[];
}

/** Prometheus' target when nothing is declared (mon.config.ts' default). */
export const DEFAULT_PROMETHEUS_RUNTIME: PrometheusRuntime = { version: DEFAULT_PROMETHEUS_VERSION, flavor: 'prometheus', features: [] };

/**
 * Alerts need a `severity` the project knows (moncode's own and those declared by augmenting
 * `Severities`) or `none`, which marks alerts that never notify (Watchdog, InfoInhibitor in kube-prometheus).
 */
const defaultAlertLabels = (severities: readonly string[]) => ({ severity: [...severities, ...(severities.includes('none') ? [] : ['none'])] });

export function lintSettings(
  config: LintConfig,
  intervals: { scrape(system: string): string; evaluation(system: string): string } = { scrape: () => '1m', evaluation: () => '1m' },
  repositoryRoot: (file: string) => string | undefined = () => undefined,
  prometheus: (system: string) => PrometheusRuntime = () => DEFAULT_PROMETHEUS_RUNTIME,
  consulted: (file: string) => void = () => undefined,
  severities: readonly string[] = BUILT_IN_SEVERITIES,
): LintSettings {
  return {
    alertLabels: config.alertLabels ?? defaultAlertLabels(severities),
    recordLabels: config.recordLabels ?? {},
    runbookAnnotations: config.runbookAnnotations ?? ['runbook_url', 'runbook'],
    runbookExemptSeverities: config.runbookExemptSeverities ?? ['info', 'none'],
    runbookBaseUrls: config.runbookBaseUrls ?? [],
    alertAnnotations: config.alertAnnotations ?? ['summary', 'description'],
    targetLabels: config.targetLabels ?? ['job', 'instance'],
    implicitLevelLabels: config.implicitLevelLabels ?? ['cluster'],
    duplicateScope: config.duplicateScope ?? 'deployment',
    scrapeInterval: (system) => parseDuration(intervals.scrape(system)) ?? 60_000,
    evaluationInterval: (system) => parseDuration(intervals.evaluation(system)) ?? 60_000,
    repositoryRoot,
    prometheus,
    consulted,
  };
}
