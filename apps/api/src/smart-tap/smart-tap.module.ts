import { Module } from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { AppConfig } from '@tlo/config';
import { FieldCipher, KeyRing } from '@tlo/crypto';
import { SmartTapRepository } from '@tlo/persistence';
import { CONFIG, MONGO } from '../core/tokens';
import { SmartTapController } from './smart-tap.controller';
import { SmartTapService } from './smart-tap.service';

@Module({
  controllers: [SmartTapController],
  providers: [
    SmartTapService,
    {
      provide: SmartTapRepository,
      inject: [CONFIG, MONGO],
      // Unique issuer, collector, class, object and key-version indexes back the 409s: ensure them at boot.
      useFactory: async (config: AppConfig, mongo: Connection) => {
        const registry = new SmartTapRepository(
          mongo,
          new FieldCipher(KeyRing.parse(config.fieldEncryptionKeys)),
        );
        await registry.ensureIndexes();
        return registry;
      },
    },
  ],
})
export class SmartTapModule {}
