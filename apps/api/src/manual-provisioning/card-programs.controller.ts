import { Body, Controller, Inject, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AppConfig } from '@tlo/config';
import type { CardProgram } from '@tlo/domain';
import { CardProgramRepository } from '@tlo/persistence';
import { RequireScopes } from '../auth/scopes.decorator';
import { CONFIG } from '../core/tokens';
import { requireDeliverableUrl } from '../http/outbound-url';
import { ProgramIdParam } from '../http/params';
import { CardProgramDto } from './card-program.dto';

/** How a card program delivers one-time codes and the limits of its yellow path. */
@ApiTags('manual-provisioning')
@ApiBearerAuth()
@Controller('card-programs')
export class CardProgramsController {
  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly programs: CardProgramRepository,
  ) {}

  @Put(':programId')
  @RequireScopes('programs.write')
  put(@ProgramIdParam() programId: string, @Body() body: CardProgramDto): Promise<CardProgram> {
    requireDeliverableUrl('webhookUrl', body.webhookUrl, this.config.outbound);
    return this.programs.put(programId, body);
  }
}
