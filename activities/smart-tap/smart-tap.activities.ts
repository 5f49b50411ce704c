import { log } from '@temporalio/activity';
import { generateSmartTapKeyPair } from '@tlo/crypto';
import type { SmartTapRepository } from '@tlo/persistence';

export interface SmartTapDeps {
  smartTap: SmartTapRepository;
}

export function createSmartTapActivities(deps: SmartTapDeps) {
  return {
    /**
     * Draws a P-256 key pair for `version` and stores it, the private key encrypted. Only the version
     * leaves the activity; a retried attempt keeps the pair stored first.
     */
    async createSmartTapKey(args: { issuerId: string; version: number }): Promise<{ version: number }> {
      const pair = generateSmartTapKeyPair();
      await deps.smartTap.storeKeyPair(args.issuerId, args.version, pair.publicKeyPem, pair.privateKeyPem);
      log.info('smart tap key created', { issuerId: args.issuerId, version: args.version });
      return { version: args.version };
    },
  };
}
