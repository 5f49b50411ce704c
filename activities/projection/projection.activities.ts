import type { LifecycleProjection } from '@tlo/domain';
import type { ProjectionRepository, ProjectionWriteResult } from '@tlo/persistence';

/**
 * A transition to project. `numberAfterLast` marks a fresh run's first transition: the activity
 * numbers it after the workflow id's last projected version (earlier runs with the same id decide
 * it), so the workflow needs no separate read for that; `version` and `transition.seq` are then
 * ignored.
 */
export type ProjectionRequest = LifecycleProjection<unknown> & { numberAfterLast?: boolean };

/**
 * What was projected, returned so that a local activity's marker in history carries the transition
 * (a marker records the result, not the input): the audit trail reads it from there.
 */
export interface ProjectedTransition {
  outcome: ProjectionWriteResult;
  projection: LifecycleProjection<unknown>;
}

export function createProjectionActivities(projections: ProjectionRepository) {
  return {
    /**
     * Projects one chart transition: audit row + version-guarded read model. Safe to retry, also as a
     * local activity whose workflow task is retried after a worker crash: the audit row and the
     * version are unique, and a first transition already written by this run (same state, same run
     * start time) is found again instead of being numbered a second time.
     */
    async projectTransition(request: ProjectionRequest): Promise<ProjectedTransition> {
      const { numberAfterLast, ...projection } = request;
      if (numberAfterLast) {
        const newest = await projections.find(projection.workflowId);
        const alreadyWritten =
          newest !== null &&
          newest.lifecycle === projection.lifecycle &&
          newest.state === projection.state &&
          newest.lastTransitionAt === projection.transition.at;
        const version = alreadyWritten ? newest.version : (newest?.version ?? 0) + 1;
        projection.version = version;
        projection.transition = { ...projection.transition, seq: version };
      }
      return { outcome: await projections.apply(projection), projection };
    },

    /** The newest projected version of a workflow id (0 if none): a new run continues the numbering. */
    async lastProjectedVersion(workflowId: string): Promise<number> {
      return (await projections.find(workflowId))?.version ?? 0;
    },
  };
}
