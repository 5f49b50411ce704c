import { Module } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { type AppConfig, loadAppleTrustAnchors, loadConfig } from '@tlo/config';
import { FieldCipher, KeyRing } from '@tlo/crypto';
import {
  CardAttemptRepository,
  CardProgramRepository,
  FopAccountRepository,
  GoogleTokenClaimRepository,
  SmartTapRepository,
  SavedCardRepository,
  ShopRepository,
  CardRepository,
  OtpOutboxRepository,
  PartnerEventRepository,
  ProjectionRepository,
  connectMongo,
} from '@tlo/persistence';
import { type Activities, createActivities } from '../../../activities';
import { SignedWebhookSender } from '../../../activities/webhooks/signed-webhook';

export const CONFIG = Symbol('CONFIG');
export const MONGO = Symbol('MONGO');
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
        const projections = new ProjectionRepository(mongo);
        await projections.ensureIndexes();
        const cipher = new FieldCipher(KeyRing.parse(config.fieldEncryptionKeys));
        const tokenClaims = new GoogleTokenClaimRepository(mongo);
        await tokenClaims.ensureIndexes();
        const smartTap = new SmartTapRepository(mongo, cipher);
        await smartTap.ensureIndexes();
        const savedCards = new SavedCardRepository(mongo, cipher);
        await savedCards.ensureIndexes();
        return createActivities({
          projections,
          cards: new CardRepository(mongo, cipher),
          programs: new CardProgramRepository(mongo, cipher),
          otpOutbox: new OtpOutboxRepository(mongo, cipher),
          otpHmacKey: config.otpHmacKey,
          decisionRules: config.manualProvisioning.decisionRules,
          cardAttempts: new CardAttemptRepository(mongo),
          cardOtpLimits: config.manualProvisioning.cardOtpLimits,
          partnerEvents: new PartnerEventRepository(mongo),
          activationKey: config.activationKey,
          googlePayProviderPublicKeyPem: config.googlePayProviderPublicKeyPem,
          appleTrustAnchors: await loadAppleTrustAnchors(config),
          partnerWebhook: config.partnerWebhook,
          webhooks: new SignedWebhookSender(config.outbound),
          fopAccounts: new FopAccountRepository(mongo),
          tokenClaims,
          smartTap,
          shops: new ShopRepository(mongo, cipher),
          savedCards,
        });
      },
    },
  ],
  exports: [CONFIG, MONGO, ACTIVITIES],
})
export class WorkerModule {}
