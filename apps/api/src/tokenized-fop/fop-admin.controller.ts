import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { maskE164 } from '@tlo/domain';
import { DuplicateError, FopAccountRepository } from '@tlo/persistence';
import { RequireScopes } from '../auth/scopes.decorator';
import { ApiError } from '../http/api-error';
import { AccountIdQuery } from '../http/params';
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
      if (error instanceof DuplicateError) {
        throw new ApiError(409, { code: 'ACCOUNT_EXISTS', message: error.message });
      }
      throw error;
    }
  }

  @Get('instruments')
  @RequireScopes('fop.admin')
  async instruments(@AccountIdQuery() accountId: string) {
    return { accountId, instruments: await this.fop.instrumentsOf(accountId) };
  }
}
