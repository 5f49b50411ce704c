import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { LIFECYCLES, type MaskedCard } from '@tlo/domain';
import { CardRepository, ProjectionRepository } from '@tlo/persistence';
import { RequireScopes } from '../auth/scopes.decorator';
import { ApiError } from '../http/api-error';
import { ProxyParam } from '../http/params';
import { CreateCardDto, UpdateCardStatusDto } from './card.dto';

const cardNotFound = () => new ApiError(404, { code: '002', message: 'Card Not Found' });

/** The issuer's card registry (simulated system of record). Reads are always masked. */
@ApiTags('cards')
@ApiBearerAuth()
@Controller('cards')
export class CardsController {
  constructor(
    private readonly cards: CardRepository,
    private readonly projections: ProjectionRepository,
  ) {}

  @Post()
  @HttpCode(201)
  @RequireScopes('cards.write')
  async create(
    @Body() body: CreateCardDto,
  ): Promise<Pick<MaskedCard, 'proxy' | 'status' | 'lastFourDigits'>> {
    const card = await this.cards.create({ ...body, status: body.status ?? 'ACTIVE' });
    return { proxy: card.proxy, status: card.status, lastFourDigits: card.lastFourDigits };
  }

  @Patch(':proxy')
  @RequireScopes('cards.write')
  async updateStatus(@ProxyParam() proxy: string, @Body() body: UpdateCardStatusDto): Promise<MaskedCard> {
    return (await this.cards.updateStatus(proxy, body.status)) ?? Promise.reject(cardNotFound());
  }

  @Get(':proxy')
  @RequireScopes('cards.read')
  async get(@ProxyParam() proxy: string): Promise<MaskedCard> {
    return (await this.cards.findMasked(proxy)) ?? Promise.reject(cardNotFound());
  }

  /** The push-provisioning projections of this card, one per wallet, with their transition history. */
  @Get(':proxy/wallet-tokens')
  @RequireScopes('cards.read')
  async walletTokens(@ProxyParam() proxy: string) {
    if (!(await this.cards.findMasked(proxy))) throw cardNotFound();
    const projections = await this.projections.findByProxy<Record<string, unknown>>(
      LIFECYCLES.pushProvisioning.name,
      proxy,
    );
    return {
      proxy,
      wallets: await Promise.all(
        projections.map(async (projection) => ({
          ...projection.view,
          workflowId: projection.workflowId,
          state: projection.state,
          version: projection.version,
          lastTransitionAt: projection.lastTransitionAt,
          transitions: await this.projections.trailOf(projection.workflowId),
        })),
      ),
    };
  }
}
