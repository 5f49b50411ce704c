import { Body, Controller, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { CardProgram } from '@tlo/domain';
import { CardProgramRepository } from '@tlo/persistence';
import { RequireScopes } from '../auth/scopes.decorator';
import { ApiError } from '../http/api-error';
import { CardProgramDto } from './card-program.dto';

/** How a card program delivers one-time codes and the limits of its yellow path. */
@ApiTags('manual-provisioning')
@ApiBearerAuth()
@Controller('card-programs')
export class CardProgramsController {
  constructor(private readonly programs: CardProgramRepository) {}

  @Put(':programId')
  @RequireScopes('programs.write')
  async put(@Param('programId') programId: string, @Body() body: CardProgramDto): Promise<CardProgram> {
    if (!/^[\w-]{1,64}$/.test(programId))
      throw ApiError.badField('programId', 'programId must be 1 to 64 letters, digits, _ or -');
    return this.programs.put(programId, body);
  }
}
