import type { LintRule } from '../types.js';
import dashboardDuplicateUid from './dashboard-duplicate-uid.js';
import dashboardGrid from './dashboard-grid.js';

/** Every lint rule, in the order they run. */
export const ALL_RULES: readonly LintRule[] = [dashboardGrid, dashboardDuplicateUid];
