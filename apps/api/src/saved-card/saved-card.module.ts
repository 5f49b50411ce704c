import { Module } from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { AppConfig } from '@tlo/config';
import { FieldCipher, KeyRing } from '@tlo/crypto';
import {
  PaymentFormRepository,
  PaymentRepository,
  SavedCardRepository,
  ShopRepository,
} from '@tlo/persistence';
import { CONFIG, MONGO } from '../core/tokens';
import { PaymentApiController } from './payment-api.controller';
import { PaymentFormController } from './payment-form.controller';
import { PaymentFormsService } from './payment-forms.service';
import { SavedCardsService } from './saved-cards.service';
import { ShopsController } from './shops.controller';

const cipherOf = (config: AppConfig) => new FieldCipher(KeyRing.parse(config.fieldEncryptionKeys));

@Module({
  controllers: [PaymentApiController, PaymentFormController, ShopsController],
  providers: [
    SavedCardsService,
    PaymentFormsService,
    {
      provide: ShopRepository,
      inject: [CONFIG, MONGO],
      useFactory: (config: AppConfig, mongo: Connection) => new ShopRepository(mongo, cipherOf(config)),
    },
    {
      provide: SavedCardRepository,
      inject: [CONFIG, MONGO],
      // The unique token index keeps a retried save from storing a second copy: ensure it at boot.
      useFactory: async (config: AppConfig, mongo: Connection) => {
        const vault = new SavedCardRepository(mongo, cipherOf(config));
        await vault.ensureIndexes();
        return vault;
      },
    },
    {
      provide: PaymentFormRepository,
      inject: [MONGO],
      useFactory: (mongo: Connection) => new PaymentFormRepository(mongo),
    },
    {
      provide: PaymentRepository,
      inject: [MONGO],
      // The unique payment id is what makes a form's payment at-most-once: ensure it at boot.
      useFactory: async (mongo: Connection) => {
        const payments = new PaymentRepository(mongo);
        await payments.ensureIndexes();
        return payments;
      },
    },
  ],
})
export class SavedCardModule {}
