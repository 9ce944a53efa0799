import type { AlertmanagerModel, DashboardModel, ProvisioningModel, RuleGroupModel, SloModel } from '../model/project-model.js';

/** Anything a problem can sit in: its locator places the pointer, its suppressions may silence it. */
export type Container = DashboardModel | RuleGroupModel | AlertmanagerModel | ProvisioningModel | SloModel;

export interface Problem {
  message: string;
  /** The dashboard, rule group or config the problem is in, and where inside it. */
  in: Container;
  at: string;
  /** Narrows the location to characters of the string value at `at` (a PromQL fault, a template reference). */
  within?: { value: string; from: number; to: number };
  subject?: string;
  related?: Array<{ message: string; in: Container; at: string; within?: Problem['within'] }>;
}
