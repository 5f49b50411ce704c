import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { RequireScopes } from '../auth/scopes.decorator';
import {
  billingDetailsOf,
  CancelTokenDto,
  CreatePaymentDto,
  CreateSubscriptionDto,
  CreateTokenDto,
  TokenRefDto,
  WalletGetDto,
  WalletUpdateDto,
} from './saved-card.dto';
import { PaymentFormsService } from './payment-forms.service';
import { SavedCardsService } from './saved-cards.service';
import { v4Success } from './v4-envelope';

/** The calling shop: the subject of its bearer token. */
const shopOf = (request: AuthenticatedRequest) => request.principal!.subject;

/**
 * The Lyra-V4-like web services of the customer wallet. Every call is made by a shop with
 * its own token (scope `payments`, subject = shop id) and answered in the V4 envelope.
 */
@ApiTags('customer-wallet')
@ApiBearerAuth()
@RequireScopes('payments')
@Controller('api-payment/V4')
export class PaymentApiController {
  constructor(
    private readonly forms: PaymentFormsService,
    private readonly savedCards: SavedCardsService,
  ) {}

  @Post('Charge/CreatePayment')
  @HttpCode(200)
  async createPayment(@Req() request: AuthenticatedRequest, @Body() body: CreatePaymentDto) {
    return v4Success('Charge/CreatePayment', await this.forms.createPayment(shopOf(request), body));
  }

  @Post('Charge/CreateToken')
  @HttpCode(200)
  async createToken(@Req() request: AuthenticatedRequest, @Body() body: CreateTokenDto) {
    return v4Success('Charge/CreateToken', await this.forms.createToken(shopOf(request), body));
  }

  @Post('Charge/CreateSubscription')
  @HttpCode(200)
  async createSubscription(@Req() request: AuthenticatedRequest, @Body() body: CreateSubscriptionDto) {
    return v4Success('Charge/CreateSubscription', await this.forms.createSubscription(shopOf(request), body));
  }

  @Post('Token/Get')
  @HttpCode(200)
  async getToken(@Req() request: AuthenticatedRequest, @Body() body: TokenRefDto) {
    return v4Success('Token/Get', await this.savedCards.get(shopOf(request), body.paymentMethodToken));
  }

  @Post('Token/Cancel')
  @HttpCode(200)
  async cancelToken(@Req() request: AuthenticatedRequest, @Body() body: CancelTokenDto) {
    return v4Success(
      'Token/Cancel',
      await this.savedCards.cancel(shopOf(request), body.paymentMethodToken, body.by),
    );
  }

  @Post('CustomerWallet/Get')
  @HttpCode(200)
  async getWallet(@Req() request: AuthenticatedRequest, @Body() body: WalletGetDto) {
    const { reference } = body.customer;
    const tokens = await this.savedCards.wallet(shopOf(request), reference);
    return v4Success('CustomerWallet/Get', { customer: { reference }, tokens });
  }

  @Post('CustomerWallet/Update')
  @HttpCode(200)
  async updateWallet(@Req() request: AuthenticatedRequest, @Body() body: WalletUpdateDto) {
    const { reference, email, billingDetails } = body.customer;
    const tokens = await this.savedCards.updateWallet(shopOf(request), reference, {
      ...(email !== undefined ? { email } : {}),
      ...(billingDetails !== undefined ? { billingDetails: billingDetailsOf(billingDetails) } : {}),
    });
    return v4Success('CustomerWallet/Update', { customer: { reference }, updated: tokens.length, tokens });
  }
}
