import type { LintRule } from '../types.js';
import alertAnnotationMissing from './alert-annotation-missing.js';
import alertForMissing from './alert-for-missing.js';
import alertNoCondition from './alert-no-condition.js';
import dashboardDatasource from './dashboard-datasource.js';
import dashboardDeprecatedPanel from './dashboard-deprecated-panel.js';
import dashboardDuplicateUid from './dashboard-duplicate-uid.js';
import dashboardGrid from './dashboard-grid.js';
import dashboardUndefinedVariable from './dashboard-undefined-variable.js';
import dashboardUnitMissing from './dashboard-unit-missing.js';
import dashboardUnusedVariable from './dashboard-unused-variable.js';
import labelInvalidName from './label-invalid-name.js';
import labelRequired from './label-required.js';
import labelRouteUnmatched from './label-route-unmatched.js';
import labelTemplateMissing from './label-template-missing.js';
import labelTemplateValue from './label-template-value.js';
import labelUnknown from './label-unknown.js';
import labelVectorMismatch from './label-vector-mismatch.js';
import promqlCounterRate from './promql-counter-rate.js';
import promqlQuantileLe from './promql-quantile-le.js';
import promqlRangeTooShort from './promql-range-too-short.js';
import promqlSyntax from './promql-syntax.js';
import promqlTarget from './promql-target.js';
import promqlUnitMismatch from './promql-unit-mismatch.js';
import recordNaming from './record-naming.js';
import ruleDuplicate from './rule-duplicate.js';
import runbookMissing from './runbook-missing.js';
import runbookUnresolved from './runbook-unresolved.js';
import secretLiteral from './secret-literal.js';
import sloBudgetUncovered from './slo-budget-uncovered.js';
import sloDashboardThreshold from './slo-dashboard-threshold.js';
import sloDetectionTime from './slo-detection-time.js';
import sloLatencyLooser from './slo-latency-looser.js';
import sloLowPrecision from './slo-low-precision.js';
import sloThresholdUnreachable from './slo-threshold-unreachable.js';
import sloUnlinked from './slo-unlinked.js';
import templateSyntax from './template-syntax.js';

/** Every lint rule, in the order they run. */
export const ALL_RULES: readonly LintRule[] = [
  promqlSyntax,
  promqlTarget,
  templateSyntax,
  labelTemplateMissing,
  labelTemplateValue,
  labelUnknown,
  labelVectorMismatch,
  labelRequired,
  labelInvalidName,
  labelRouteUnmatched,
  runbookMissing,
  runbookUnresolved,
  alertAnnotationMissing,
  alertNoCondition,
  alertForMissing,
  promqlUnitMismatch,
  promqlCounterRate,
  promqlRangeTooShort,
  promqlQuantileLe,
  recordNaming,
  ruleDuplicate,
  sloLatencyLooser,
  sloBudgetUncovered,
  sloDetectionTime,
  sloThresholdUnreachable,
  sloLowPrecision,
  sloUnlinked,
  sloDashboardThreshold,
  dashboardUndefinedVariable,
  dashboardUnusedVariable,
  dashboardGrid,
  dashboardDuplicateUid,
  dashboardDatasource,
  dashboardDeprecatedPanel,
  dashboardUnitMissing,
  secretLiteral,
];
