import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { maskE164 } from '@tlo/domain';
import { AccountAlreadyExistsError, FopAccountRepository } from '@tlo/persistence';
import { RequireScopes } from '../auth/scopes.decorator';
import { ApiError } from '../http/api-error';
import { CreateFopAccountDto } from './standard-payments.dto';
import { TokenizedFopService } from './tokenized-fop.service';

/** The integrator's demo accounts and the instruments Google users associated with them. */
@ApiTags('tokenized-fop')
@ApiBearerAuth()
@Controller('fop')
export class FopAdminController {
  constructor(
    private readonly accounts: FopAccountRepository,
    private readonly fop: TokenizedFopService,
  ) {}

  @Post('accounts')
  @RequireScopes('fop.admin')
  async createAccount(@Body() body: CreateFopAccountDto) {
    try {
      const account = await this.accounts.create(body);
      return {
        accountId: account.accountId,
        username: account.username,
        phoneNumber: maskE164(account.phoneNumber),
      };
    } catch (error) {
      if (error instanceof AccountAlreadyExistsError) {
        throw new ApiError(409, { code: 'ACCOUNT_EXISTS', message: error.message });
      }
      throw error;
    }
  }

  @Get('instruments')
  @RequireScopes('fop.admin')
  async instruments(@Query('accountId') accountId: unknown) {
    if (typeof accountId !== 'string' || !/^[\w-]{1,64}$/.test(accountId)) {
      throw ApiError.badField('accountId', 'accountId must be 1 to 64 letters, digits, _ or -');
    }
    return { accountId, instruments: await this.fop.instrumentsOf(accountId) };
  }
}
