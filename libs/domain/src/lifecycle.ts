/** One chart transition as recorded in the audit trail and projections. */
export interface TransitionRecord {
  workflowId: string;
  lifecycle: string;
  seq: number;
  from: string;
  event: string;
  to: string;
  /** Workflow time, ISO-8601. */
  at: string;
}

/** The projection written after each transition; `version` = the transition seq that produced it. */
export interface LifecycleProjection<TView> {
  workflowId: string;
  lifecycle: string;
  version: number;
  state: string;
  view: TView;
  transition: TransitionRecord;
}
