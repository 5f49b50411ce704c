import { type AuditTrail, PROJECTION_ACTIVITY, type TrailActivity, describeTrigger } from './audit-trail';
import { textTable } from './text-table';

const time = (iso: string) => iso.replace('T', ' ').replace('Z', '');

/** The audit trail as an auditor reads it: header, transitions in order, then the activities. */
export function formatTrailTable(trail: AuditTrail): string {
  const lines = [
    `Workflow  ${trail.workflowId}  (run ${trail.runId})`,
    `Type      ${trail.workflowType}${trail.lifecycle ? `, lifecycle ${trail.lifecycle}` : ''}`,
    `Status    ${trail.status}, started ${time(trail.startedAt)}${trail.closedAt ? `, closed ${time(trail.closedAt)}` : ''}`,
    trail.payloads === 'decrypted'
      ? 'Payloads  decrypted with the codec key'
      : 'Payloads  encrypted (no codec key for them): states are shown, chart events are not',
    '',
    'Transitions (UTC)',
    textTable(
      ['#', 'time', 'from', 'event', 'to', 'trigger'],
      trail.transitions.map((transition, index) => [
        String(transition.seq ?? index + 1),
        time(transition.at),
        transition.from ?? '-',
        transition.event ?? '(encrypted)',
        transition.to,
        describeTrigger(transition.trigger),
      ]),
    ),
    '',
    'Activities',
  ];
  const projections = trail.activities.filter((activity) => activity.type === PROJECTION_ACTIVITY);
  const others = trail.activities.filter((activity) => activity.type !== PROJECTION_ACTIVITY);
  lines.push(
    textTable(
      ['scheduled', 'activity', 'attempts', 'outcome', 'failures'],
      others.map((activity) => [
        time(activity.scheduledAt),
        activity.local ? `${activity.type} (local)` : activity.type,
        String(activity.attempts),
        activity.outcome,
        failuresText(activity),
      ]),
    ),
  );
  if (projections.length > 0) lines.push('', projectionSummary(projections));
  return lines.join('\n');
}

function failuresText(activity: TrailActivity): string {
  return activity.failures.map((message) => message.replace(/\s+/g, ' ').slice(0, 120)).join(' | ');
}

function projectionSummary(projections: TrailActivity[]): string {
  const retried = projections.filter((activity) => activity.attempts > 1 || activity.failures.length > 0);
  const open = projections.filter((activity) => activity.outcome !== 'completed');
  const local = projections.every((activity) => activity.local) ? ', as local activities' : '';
  return `${PROJECTION_ACTIVITY} ×${projections.length} (one per transition, to MongoDB${local}): ${[
    retried.length === 0 ? 'none retried' : `${retried.length} retried`,
    open.length === 0 ? 'all completed' : `${open.length} not completed`,
  ].join(', ')}`;
}
