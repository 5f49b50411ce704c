import { Body, Controller, Headers, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { TrustAnchors } from '@tlo/crypto';
import { CARD_BRANDS, WALLETS, type Wallet, type WalletPayload } from '@tlo/domain';
import { RequireScopes } from '../auth/scopes.decorator';
import { ApiError } from '../http/api-error';
import { ProxyParam } from '../http/params';
import { ApplePayBodyDto, parseApplePayBody } from './apple-pay-body';
import { APPLE_PAY_TRUST_ANCHORS } from './apple-pay-trust-anchors.provider';
import { PushProvisioningService } from './push-provisioning.service';

const SUPPORTED_API_VERSION = '1.0';

/** Bankly's token generation endpoint: card data sealed for Apple Pay / Google Pay. */
@ApiTags('push-provisioning')
@ApiBearerAuth()
@Controller('cards-pci')
export class PushProvisioningController {
  constructor(
    private readonly pushProvisioning: PushProvisioningService,
    @Inject(APPLE_PAY_TRUST_ANCHORS) private readonly appleTrustAnchors: TrustAnchors,
  ) {}

  @Post(':proxy/wallet/:wallet/brand/:brand')
  @HttpCode(200)
  @RequireScopes('card.pci.token.create')
  @ApiHeader({ name: 'api-version', required: true, example: '1.0' })
  @ApiParam({ name: 'wallet', enum: WALLETS })
  @ApiParam({ name: 'brand', enum: CARD_BRANDS })
  @ApiBody({ type: ApplePayBodyDto, required: false, description: 'Required for ApplePay only.' })
  @ApiOkResponse({ description: '{ data, lastFourDigits, phoneNumber, address }' })
  async generateToken(
    @ProxyParam() proxy: string,
    @Param('wallet') wallet: string,
    @Param('brand') brand: string,
    @Headers('api-version') apiVersion: string | undefined,
    @Headers('x-request-id') requestIdHeader: string | undefined,
    @Body() body: unknown,
  ): Promise<WalletPayload> {
    if (apiVersion !== SUPPORTED_API_VERSION) {
      throw ApiError.badField('api-version', `header api-version must be ${SUPPORTED_API_VERSION}`);
    }
    if (!(WALLETS as readonly string[]).includes(wallet)) {
      throw ApiError.badField('wallet', `wallet must be one of ${WALLETS.join(', ')}`);
    }
    if (!(CARD_BRANDS as readonly string[]).includes(brand)) {
      throw ApiError.badField('brand', `brand must be ${CARD_BRANDS.join(', ')}`);
    }
    const applePay = wallet === 'ApplePay' ? parseApplePayBody(body, this.appleTrustAnchors) : undefined;
    const requestId =
      requestIdHeader && /^[\w.-]{1,64}$/.test(requestIdHeader) ? requestIdHeader : randomUUID();
    return this.pushProvisioning.requestPayload(proxy, wallet as Wallet, requestId, applePay);
  }
}
