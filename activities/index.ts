import type { ProjectionRepository } from '@tlo/persistence';
import { type SavedCardDeps, createSavedCardActivities } from './saved-card/saved-card.activities';
import {
  type ManualProvisioningDeps,
  createManualProvisioningActivities,
} from './manual-provisioning/manual-provisioning.activities';
import { createProjectionActivities } from './projection/projection.activities';
import { type SmartTapDeps, createSmartTapActivities } from './smart-tap/smart-tap.activities';
import {
  type TokenizedFopDeps,
  createTokenizedFopActivities,
} from './tokenized-fop/tokenized-fop.activities';
import {
  type PushProvisioningDeps,
  createPushProvisioningActivities,
} from './push-provisioning/push-provisioning.activities';

export interface ActivityDeps
  extends PushProvisioningDeps, ManualProvisioningDeps, TokenizedFopDeps, SmartTapDeps, SavedCardDeps {
  projections: ProjectionRepository;
}

/** Every activity the worker registers, built from injected dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createProjectionActivities(deps.projections),
    ...createPushProvisioningActivities(deps),
    ...createManualProvisioningActivities(deps),
    ...createTokenizedFopActivities(deps),
    ...createSmartTapActivities(deps),
    ...createSavedCardActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
