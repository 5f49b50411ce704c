import type { Caller } from '@tlo/temporal';

/** The activity every lifecycle calls once per chart transition (workflows/shared/lifecycle.ts). */
export const PROJECTION_ACTIVITY = 'projectTransition';

export type TriggerKind = 'start' | 'update' | 'signal' | 'timer' | 'activity';

/** The external event a transition followed: an HTTP call (start, update, signal), a timer, an activity. */
export interface Trigger {
  kind: TriggerKind;
  /** Update or signal name, activity type, or the timer's duration. */
  name?: string;
  /** Who asked over HTTP, from the caller header (route template and subject). */
  caller?: Caller;
  /** The Temporal client's identity. */
  identity?: string;
  eventId: number;
  /** For an activity: what was going on when the workflow scheduled it (e.g. the HTTP update). */
  cause?: Trigger;
}

export interface TrailTransition {
  /** The lifecycle's transition number; null when payloads are encrypted. */
  seq: number | null;
  from: string | null;
  /** The chart event; null when payloads are encrypted (only the states are in clear). */
  event: string | null;
  to: string;
  at: string;
  /** The history event the transition is read from. */
  eventId: number;
  trigger: Trigger;
}

export type ActivityOutcome = 'completed' | 'failed' | 'timed-out' | 'cancelled' | 'pending';

export interface TrailActivity {
  activityId: string;
  type: string;
  scheduledEventId: number;
  scheduledAt: string;
  closedAt: string | null;
  /** Attempts made (the last started attempt), 0 while never started. */
  attempts: number;
  outcome: ActivityOutcome;
  /** Failure messages seen: the last failed attempt before the final one, and the final failure. */
  failures: string[];
  /** Run as a local activity: read from its marker, no scheduled/started/closed events of its own. */
  local?: true;
}

export type WorkflowStatus =
  'running' | 'completed' | 'failed' | 'timed-out' | 'terminated' | 'cancelled' | 'continued-as-new';

export interface AuditTrail {
  workflowId: string;
  runId: string;
  workflowType: string;
  lifecycle: string | null;
  status: WorkflowStatus;
  startedAt: string;
  closedAt: string | null;
  /** `decrypted` when the codec key opened the transitions; `encrypted` otherwise (states only). */
  payloads: 'decrypted' | 'encrypted';
  transitions: TrailTransition[];
  activities: TrailActivity[];
}
