/**
 * JSON Schema (draft-07) of the OpenSLO v1 objects moncode reads. OpenSLO publishes no
 * schema (its proof of concept was removed in 2024), so this one is written from the
 * OpenSLO v1 specification: every kind, its required fields, value ranges and duration
 * shorthands. `moncode.dev/*` annotations carry what OpenSLO cannot express.
 */
const NAME = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 } as const;
const DURATION = { type: 'string', pattern: '^[0-9]+[smhdwMQY]$' } as const;
const LABELS = { type: 'object', additionalProperties: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] } } as const;

const METADATA = {
  type: 'object',
  required: ['name'],
  properties: {
    name: NAME,
    displayName: { type: 'string' },
    labels: LABELS,
    annotations: {
      type: 'object',
      additionalProperties: { type: 'string' },
      properties: {
        'moncode.dev/detection-time': { type: 'string', pattern: '^[0-9]+(ms|s|m|h|d)$' },
        'moncode.dev/short-window': { type: 'string', pattern: '^[0-9]+(ms|s|m|h|d)$' },
        'moncode.dev/runbook': { type: 'string' },
      },
    },
  },
  additionalProperties: false,
} as const;

const METRIC_SOURCE = {
  type: 'object',
  required: ['metricSource'],
  properties: {
    metricSource: {
      type: 'object',
      required: ['spec'],
      properties: { metricSourceRef: { type: 'string' }, type: { type: 'string' }, spec: { type: 'object' } },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

const SLI_SPEC = {
  type: 'object',
  properties: {
    description: { type: 'string', maxLength: 1050 },
    thresholdMetric: METRIC_SOURCE,
    ratioMetric: {
      type: 'object',
      properties: {
        counter: { type: 'boolean' },
        good: METRIC_SOURCE,
        bad: METRIC_SOURCE,
        total: METRIC_SOURCE,
        rawType: { enum: ['success', 'failure'] },
        raw: METRIC_SOURCE,
      },
      additionalProperties: false,
      oneOf: [{ required: ['good', 'total'] }, { required: ['bad', 'total'] }, { required: ['raw', 'rawType'] }],
    },
  },
  additionalProperties: false,
  oneOf: [{ required: ['thresholdMetric'] }, { required: ['ratioMetric'] }],
} as const;

const ALERT_CONDITION_SPEC = {
  type: 'object',
  required: ['severity', 'condition'],
  properties: {
    description: { type: 'string' },
    severity: { type: 'string', minLength: 1 },
    condition: {
      type: 'object',
      required: ['kind', 'op', 'threshold', 'lookbackWindow'],
      properties: {
        kind: { const: 'burnrate' },
        op: { enum: ['lte', 'gte', 'lt', 'gt'] },
        threshold: { type: 'number', exclusiveMinimum: 0 },
        lookbackWindow: DURATION,
        alertAfter: DURATION,
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

const ALERT_POLICY_SPEC = {
  type: 'object',
  required: ['conditions'],
  properties: {
    description: { type: 'string' },
    alertWhenNoData: { type: 'boolean' },
    alertWhenResolved: { type: 'boolean' },
    alertWhenBreaching: { type: 'boolean' },
    conditions: {
      type: 'array',
      minItems: 1,
      maxItems: 1,
      items: {
        anyOf: [
          { type: 'object', required: ['conditionRef'], properties: { conditionRef: NAME }, additionalProperties: false },
          { type: 'object', required: ['kind', 'metadata', 'spec'], properties: { kind: { const: 'AlertCondition' }, metadata: METADATA, spec: ALERT_CONDITION_SPEC }, additionalProperties: false },
        ],
      },
    },
    notificationTargets: { type: 'array' },
  },
  additionalProperties: false,
} as const;

const OBJECTIVE = {
  type: 'object',
  properties: {
    displayName: { type: 'string' },
    op: { enum: ['lte', 'gte', 'lt', 'gt'] },
    value: { type: 'number' },
    target: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    targetPercent: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 100 },
    timeSliceTarget: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    timeSliceWindow: DURATION,
    indicator: { type: 'object' },
    indicatorRef: NAME,
    compositeWeight: { type: 'number', exclusiveMinimum: 0 },
  },
  additionalProperties: false,
  oneOf: [{ required: ['target'] }, { required: ['targetPercent'] }],
} as const;

const SLO_SPEC = {
  type: 'object',
  required: ['service', 'timeWindow', 'budgetingMethod', 'objectives'],
  properties: {
    description: { type: 'string', maxLength: 1050 },
    service: { type: 'string', minLength: 1 },
    indicator: { type: 'object', required: ['metadata', 'spec'], properties: { metadata: METADATA, spec: SLI_SPEC }, additionalProperties: false },
    indicatorRef: NAME,
    timeWindow: {
      type: 'array',
      minItems: 1,
      maxItems: 1,
      items: {
        type: 'object',
        required: ['duration'],
        properties: {
          duration: DURATION,
          isRolling: { type: 'boolean' },
          calendar: { type: 'object', properties: { startTime: { type: 'string' }, timeZone: { type: 'string' } }, additionalProperties: false },
        },
        additionalProperties: false,
      },
    },
    budgetingMethod: { enum: ['Occurrences', 'Timeslices', 'RatioTimeslices'] },
    objectives: { type: 'array', minItems: 1, items: OBJECTIVE },
    alertPolicies: {
      type: 'array',
      items: {
        anyOf: [
          { type: 'object', required: ['alertPolicyRef'], properties: { alertPolicyRef: NAME }, additionalProperties: false },
          { type: 'object', required: ['kind', 'metadata', 'spec'], properties: { kind: { const: 'AlertPolicy' }, metadata: METADATA, spec: ALERT_POLICY_SPEC }, additionalProperties: false },
        ],
      },
    },
  },
  additionalProperties: false,
  oneOf: [{ required: ['indicator'] }, { required: ['indicatorRef'] }],
} as const;

const KIND_SPECS = {
  SLO: SLO_SPEC,
  SLI: SLI_SPEC,
  AlertPolicy: ALERT_POLICY_SPEC,
  AlertCondition: ALERT_CONDITION_SPEC,
  DataSource: {
    type: 'object',
    required: ['type', 'connectionDetails'],
    properties: { description: { type: 'string' }, type: { type: 'string' }, connectionDetails: { type: 'object' } },
    additionalProperties: false,
  },
  Service: { type: 'object', properties: { description: { type: 'string' } }, additionalProperties: false },
  AlertNotificationTarget: { type: 'object', required: ['target'], properties: { description: { type: 'string' }, target: { type: 'string' } }, additionalProperties: false },
} as const;

export const OPENSLO_KINDS = Object.keys(KIND_SPECS);

/** One schema per kind (the kind and apiVersion are checked before, with clearer messages). */
export const OPENSLO_SCHEMAS: Record<string, object> = Object.fromEntries(
  Object.entries(KIND_SPECS).map(([kind, spec]) => [
    kind,
    {
      type: 'object',
      required: ['apiVersion', 'kind', 'metadata', 'spec'],
      properties: { apiVersion: { const: 'openslo/v1' }, kind: { const: kind }, metadata: METADATA, spec },
      additionalProperties: false,
    },
  ]),
);
