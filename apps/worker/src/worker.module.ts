import { Module } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { type AppConfig, CONFIG, loadAppleTrustAnchors, loadConfig } from '@tlo/config';
import { MONGO, connectMongo, createRepositories, ensureIndexes, fieldCipherFor } from '@tlo/persistence';
import { type Activities, createActivities } from '../../../activities';
import { SignedWebhookSender } from '../../../activities/webhooks/signed-webhook';

export const ACTIVITIES = Symbol('ACTIVITIES');

/** The worker's dependency graph: configuration → MongoDB → repositories → activities. */
@Module({
  providers: [
    { provide: CONFIG, useFactory: (): AppConfig => loadConfig() },
    { provide: MONGO, inject: [CONFIG], useFactory: (config: AppConfig) => connectMongo(config.mongo.uri) },
    {
      provide: ACTIVITIES,
      inject: [CONFIG, MONGO],
      useFactory: async (config: AppConfig, mongo: Connection): Promise<Activities> => {
        const repositories = createRepositories(mongo, fieldCipherFor(config.fieldEncryptionKeys));
        await ensureIndexes(repositories);
        return createActivities({
          ...repositories,
          otpHmacKey: config.otpHmacKey,
          decisionRules: config.manualProvisioning.decisionRules,
          cardOtpLimits: config.manualProvisioning.cardOtpLimits,
          activationKey: config.activationKey,
          googlePayProviderPublicKeyPem: config.googlePayProviderPublicKeyPem,
          appleTrustAnchors: await loadAppleTrustAnchors(config),
          partnerWebhook: config.partnerWebhook,
          webhooks: new SignedWebhookSender(config.outbound),
        });
      },
    },
  ],
  exports: [CONFIG, MONGO, ACTIVITIES],
})
export class WorkerModule {}
