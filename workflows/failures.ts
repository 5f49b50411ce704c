import { FopAuthenticationFailures } from './fop-authentication.definitions';
import { ManualProvisioningFailures } from './manual-provisioning.definitions';
import { SavedCardFailures } from './saved-card.definitions';
import { FailureRegistry, LifecycleFailures } from './shared/failures';
import { SmartTapKeysFailures } from './smart-tap-keys.definitions';

/**
 * Every named failure a lifecycle raises, found by its type: the HTTP edge answers a refused update
 * from here. A lifecycle with failures of its own adds its group; a type declared twice throws.
 */
export const NAMED_FAILURES = new FailureRegistry(
  LifecycleFailures,
  ManualProvisioningFailures,
  SavedCardFailures,
  SmartTapKeysFailures,
  FopAuthenticationFailures,
);
