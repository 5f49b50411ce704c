import { Body, Controller, Get, Inject, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AppConfig } from '@tlo/config';
import { ShopRepository } from '@tlo/persistence';
import { RequireScopes } from '../auth/scopes.decorator';
import { CONFIG } from '../core/tokens';
import { requireDeliverableUrl } from '../http/outbound-url';
import { ShopIdParam } from '../http/params';
import { ApiError } from '../http/api-error';
import { ShopDto } from './saved-card.dto';
import { SavedCardsService } from './saved-cards.service';

/** The merchant's back office: wallet settings of a shop, and every token it ever saved. */
@ApiTags('customer-wallet')
@ApiBearerAuth()
@Controller()
export class ShopsController {
  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly shops: ShopRepository,
    private readonly savedCards: SavedCardsService,
  ) {}

  @Put('shops/:shopId')
  @RequireScopes('shops.write')
  putShop(@ShopIdParam() shopId: string, @Body() body: ShopDto) {
    requireDeliverableUrl('notificationUrl', body.notificationUrl, this.config.outbound);
    return this.shops.put(shopId, {
      tokenPaymentOption: body.tokenPaymentOption,
      buyerDeletion: body.buyerDeletion,
      notificationUrl: body.notificationUrl ?? null,
      notificationSecret: body.notificationSecret ?? null,
    });
  }

  @Get('backoffice/shops/:shopId/tokens')
  @RequireScopes('backoffice.read')
  async tokens(@ShopIdParam() shopId: string, @Query('reference') reference?: string) {
    if (reference !== undefined && (typeof reference !== 'string' || !/^[\w.@+-]{1,64}$/.test(reference)))
      throw ApiError.badField('reference', 'reference must be 1 to 64 letters, digits or ._@+-');
    return { shopId, tokens: await this.savedCards.backOffice(shopId, reference) };
  }
}
