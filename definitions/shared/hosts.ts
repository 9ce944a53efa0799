import { alertRule, gauge, prom, stat, timeseries, type AlertRule, type Duration, type Panel, type Severity } from 'moncode';
import { runbook } from './runbooks.ts';

/**
 * node_exporter: the host panels and the standard host alerts (instance down,
 * CPU, memory, disk) every system here runs, with each system's own names,
 * thresholds and durations.
 */

/** Filesystems worth alerting on: not pseudo, not container overlays. */
const REAL_FS = 'fstype!~"tmpfs|overlay|squashfs|nsfs"';

export interface HostAlertRule {
  /** The alert name the system's documents use. */
  name: string;
  severity: Severity;
  for: Duration;
}

export interface HostAlertOptions {
  /** Selector of the node_exporter job: `job="node"`. */
  selector: string;
  /** Added to every alert, e.g. `{ service: 'node' }` for routing and inhibition. */
  labels?: Record<string, string>;
  /** `up == 0` for the selected targets (or for `selector` here: the exporters a system runs). */
  instanceDown?: HostAlertRule & { selector?: string };
  /** Busy CPU share (0–1) averaged over the host's cores. */
  cpu?: HostAlertRule & { above: number };
  /** Used memory share (0–1): 1 − MemAvailable / MemTotal. */
  memory?: HostAlertRule & { above: number };
  /** Free space share (0–1) per filesystem; one rule per tier. */
  disk?: Array<HostAlertRule & { freeBelow: number }>;
}

const percent = (ratio: number) => `${Math.round(ratio * 1000) / 10}%`;

/** The host alerts a system asks for, each linked to its shared runbook. */
export function hostAlerts(options: HostAlertOptions): AlertRule[] {
  const { selector } = options;
  const rules: AlertRule[] = [];
  const labels = (severity: Severity) => ({ severity, ...options.labels });
  if (options.instanceDown) {
    const rule = options.instanceDown;
    rules.push(
      alertRule({
        alert: rule.name,
        expr: `up{${rule.selector ?? selector}} == 0`,
        for: rule.for,
        labels: labels(rule.severity),
        annotations: {
          summary: 'Instance {{ $labels.instance }} is down',
          description: `{{ $labels.instance }} of job {{ $labels.job }} has not answered a scrape for ${rule.for}.`,
          runbook_url: runbook('hosts/instance-down'),
        },
      }),
    );
  }
  if (options.cpu) {
    const rule = options.cpu;
    rules.push(
      alertRule({
        alert: rule.name,
        expr: `1 - avg by (instance) (rate(node_cpu_seconds_total{${selector}, mode="idle"}[5m])) > ${rule.above}`,
        for: rule.for,
        labels: labels(rule.severity),
        annotations: {
          summary: 'High CPU usage on {{ $labels.instance }}',
          description: `CPU is {{ $value | humanizePercentage }} busy (threshold ${percent(rule.above)}) for more than ${rule.for}.`,
          runbook_url: runbook('hosts/high-cpu-usage'),
        },
      }),
    );
  }
  if (options.memory) {
    const rule = options.memory;
    rules.push(
      alertRule({
        alert: rule.name,
        expr: `1 - node_memory_MemAvailable_bytes{${selector}} / node_memory_MemTotal_bytes{${selector}} > ${rule.above}`,
        for: rule.for,
        labels: labels(rule.severity),
        annotations: {
          summary: 'High memory usage on {{ $labels.instance }}',
          description: `{{ $value | humanizePercentage }} of memory is in use (threshold ${percent(rule.above)}) for more than ${rule.for}.`,
          runbook_url: runbook('hosts/high-memory-usage'),
        },
      }),
    );
  }
  for (const rule of options.disk ?? []) {
    rules.push(
      alertRule({
        alert: rule.name,
        expr: `node_filesystem_avail_bytes{${selector}, ${REAL_FS}} / node_filesystem_size_bytes{${selector}, ${REAL_FS}} < ${rule.freeBelow}`,
        for: rule.for,
        labels: labels(rule.severity),
        annotations: {
          summary: 'Disk space low on {{ $labels.instance }} {{ $labels.mountpoint }}',
          description: `Only {{ $value | humanizePercentage }} of {{ $labels.mountpoint }} is free (threshold ${percent(rule.freeBelow)}).`,
          runbook_url: runbook('hosts/disk-space-low'),
        },
      }),
    );
  }
  return rules;
}

export interface HostPanelOptions {
  /** Selector of the node_exporter job: `job="node"`. */
  selector: string;
  /** Thresholds drawn on the gauges, as the system's alerts fire (0–1). */
  cpuAlertAt?: number;
  memoryAlertAt?: number;
  /** Free-space share at which the disk alert fires. */
  diskFreeAlertAt?: number;
}

/** CPU, memory, disk, load and network of the selected hosts. */
export function hostPanels(options: HostPanelOptions): Panel[] {
  const { selector } = options;
  const cpu = options.cpuAlertAt ?? 0.8;
  const memory = options.memoryAlertAt ?? 0.85;
  const diskFree = options.diskFreeAlertAt ?? 0.1;
  return [
    timeseries({
      title: 'CPU Usage',
      unit: 'percentunit',
      min: 0,
      max: 1,
      thresholds: { 0: 'green', [cpu]: 'red' },
      thresholdsStyle: 'line',
      targets: [prom(`1 - avg by (instance) (rate(node_cpu_seconds_total{${selector}, mode="idle"}[$__rate_interval]))`, { legend: '{{instance}}' })],
    }),
    timeseries({
      title: 'Memory Usage',
      unit: 'percentunit',
      min: 0,
      max: 1,
      thresholds: { 0: 'green', [memory]: 'red' },
      thresholdsStyle: 'line',
      targets: [prom(`1 - node_memory_MemAvailable_bytes{${selector}} / node_memory_MemTotal_bytes{${selector}}`, { legend: '{{instance}}' })],
    }),
    timeseries({
      title: 'Disk Space',
      description: 'Space available per mount point.',
      unit: 'percentunit',
      min: 0,
      max: 1,
      thresholds: { 0: 'red', [diskFree]: 'green' },
      thresholdsStyle: 'line',
      targets: [prom(`node_filesystem_avail_bytes{${selector}, ${REAL_FS}} / node_filesystem_size_bytes{${selector}, ${REAL_FS}}`, { legend: '{{instance}} {{mountpoint}}' })],
    }),
    timeseries({
      title: 'System Load',
      unit: 'short',
      targets: [
        prom(`node_load1{${selector}}`, { legend: '1m {{instance}}' }),
        prom(`node_load5{${selector}}`, { legend: '5m {{instance}}' }),
        prom(`node_load15{${selector}}`, { legend: '15m {{instance}}' }),
      ],
    }),
    timeseries({
      title: 'Network Traffic',
      unit: 'Bps',
      targets: [
        prom(`sum by (instance) (rate(node_network_receive_bytes_total{${selector}, device!="lo"}[$__rate_interval]))`, { legend: 'received {{instance}}' }),
        prom(`-sum by (instance) (rate(node_network_transmit_bytes_total{${selector}, device!="lo"}[$__rate_interval]))`, { legend: 'sent {{instance}}' }),
      ],
    }),
    stat({
      title: 'Hosts Up',
      unit: 'short',
      thresholds: { 0: 'red', 1: 'green' },
      targets: [prom(`sum(up{${selector}})`)],
    }),
  ];
}

/** One gauge of a host metric, for compact overview rows. */
export function hostGauge(title: 'CPU Usage' | 'Memory Usage' | 'Disk Usage', selector: string, alertAt: number): Panel {
  const expr = {
    'CPU Usage': `1 - avg(rate(node_cpu_seconds_total{${selector}, mode="idle"}[5m]))`,
    'Memory Usage': `1 - sum(node_memory_MemAvailable_bytes{${selector}}) / sum(node_memory_MemTotal_bytes{${selector}})`,
    'Disk Usage': `max(1 - node_filesystem_avail_bytes{${selector}, ${REAL_FS}} / node_filesystem_size_bytes{${selector}, ${REAL_FS}})`,
  }[title];
  return gauge({ title, unit: 'percentunit', min: 0, max: 1, thresholds: { 0: 'green', [Math.round(alertAt * 900) / 1000]: 'yellow', [alertAt]: 'red' }, targets: [prom(expr)] });
}
