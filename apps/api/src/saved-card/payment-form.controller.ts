import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/scopes.decorator';
import { FormSubmitDto } from './saved-card.dto';
import { PaymentFormsService } from './payment-forms.service';
import { v4Success } from './v4-envelope';
import { walletError } from './wallet-errors';

/**
 * What the buyer's embedded form posts. The formToken is the credential (as with Lyra's form): no
 * bearer token, since it is the buyer's browser calling.
 */
@ApiTags('customer-wallet')
@Public()
@Controller('forms')
export class PaymentFormController {
  constructor(private readonly forms: PaymentFormsService) {}

  @Post(':formToken/submit')
  @HttpCode(200)
  async submit(@Param('formToken') formToken: string, @Body() body: FormSubmitDto) {
    if (!/^[\w-]{16,64}$/.test(formToken)) throw walletError('UNKNOWN_FORM', 'formToken');
    return v4Success('Form/Submit', await this.forms.submit(formToken, body));
  }
}
