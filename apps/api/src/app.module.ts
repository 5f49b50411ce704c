import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { AppConfig } from '@tlo/config';
import { AuthGuard } from './auth/auth.guard';
import { CardsModule } from './cards/cards.module';
import { CodecModule } from './codec/codec.module';
import { CoreModule } from './core/core.module';
import { CONFIG } from './core/tokens';
import { SavedCardModule } from './saved-card/saved-card.module';
import { HealthModule } from './health/health.module';
import { CallerContextInterceptor } from './http/caller-context';
import { IdempotencyModule } from './http/idempotency/idempotency.module';
import { MetricsModule } from './metrics/metrics.module';
import { ManualProvisioningModule } from './manual-provisioning/manual-provisioning.module';
import { PushProvisioningModule } from './push-provisioning/push-provisioning.module';
import { SmartTapModule } from './smart-tap/smart-tap.module';
import { signInThrottlers } from './tokenized-fop/sign-in-throttling';
import { TokenizedFopModule } from './tokenized-fop/tokenized-fop.module';

@Module({
  imports: [
    CoreModule,
    // Global storage and named throttlers; each applies only to the routes that opt in to it.
    ThrottlerModule.forRootAsync({
      inject: [CONFIG],
      useFactory: (config: AppConfig) => ({ throttlers: [...signInThrottlers(config.signIn)] }),
    }),
    HealthModule,
    MetricsModule,
    CodecModule,
    IdempotencyModule,
    CardsModule,
    PushProvisioningModule,
    ManualProvisioningModule,
    TokenizedFopModule,
    SmartTapModule,
    SavedCardModule,
  ],
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_INTERCEPTOR, useClass: CallerContextInterceptor },
  ],
})
export class AppModule {}
