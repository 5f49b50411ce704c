import type { LifecycleProjection } from '@tlo/domain';
import type { ProjectionRepository, ProjectionWriteResult } from '@tlo/persistence';

export function createProjectionActivities(projections: ProjectionRepository) {
  return {
    /** Projects one chart transition: audit row + version-guarded read model. Safe to retry. */
    async projectTransition(projection: LifecycleProjection<unknown>): Promise<ProjectionWriteResult> {
      return projections.apply(projection);
    },

    /** The newest projected version of a workflow id (0 if none): a new run continues the numbering. */
    async lastProjectedVersion(workflowId: string): Promise<number> {
      return (await projections.find(workflowId))?.version ?? 0;
    },
  };
}
