import { Module } from '@nestjs/common';
import { PaymentApiController } from './payment-api.controller';
import { PaymentFormController } from './payment-form.controller';
import { PaymentFormsService } from './payment-forms.service';
import { SavedCardsService } from './saved-cards.service';
import { ShopsController } from './shops.controller';

@Module({
  controllers: [PaymentApiController, PaymentFormController, ShopsController],
  providers: [SavedCardsService, PaymentFormsService],
})
export class SavedCardModule {}
