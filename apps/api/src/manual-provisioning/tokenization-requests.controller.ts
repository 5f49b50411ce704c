import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../auth/scopes.decorator';
import { ApiError } from '../http/api-error';
import { ManualProvisioningService } from './manual-provisioning.service';
import {
  SendOtpDto,
  SupportActivationDto,
  TokenizationRequestDto,
  VerifyOtpDto,
} from './tokenization-request.dto';

const REQUEST_ID = /^[0-9a-f-]{36}$/;
function requestIdOf(raw: string): string {
  if (!REQUEST_ID.test(raw)) throw ApiError.badField('requestId', 'requestId must be a UUID');
  return raw;
}

/** The wallet's token service asking for a decision on a manually entered card (seed 000). */
@ApiTags('manual-provisioning')
@ApiBearerAuth()
@Controller('tokenization-requests')
export class TokenizationRequestsController {
  constructor(private readonly manualProvisioning: ManualProvisioningService) {}

  @Post()
  @HttpCode(201)
  @RequireScopes('wallet.events')
  create(@Body() body: TokenizationRequestDto) {
    return this.manualProvisioning.requestDecision({
      ...body,
      deviceNewToAccount: body.deviceNewToAccount ?? false,
    });
  }

  @Post(':requestId/otp')
  @HttpCode(200)
  @RequireScopes('wallet.events')
  sendOtp(@Param('requestId') requestId: string, @Body() body: SendOtpDto) {
    return this.manualProvisioning.sendOtp(requestIdOf(requestId), body.methodId);
  }

  @Post(':requestId/otp/verify')
  @HttpCode(200)
  @RequireScopes('wallet.events')
  verify(@Param('requestId') requestId: string, @Body() body: VerifyOtpDto) {
    return this.manualProvisioning.verifyOtp(requestIdOf(requestId), body.code);
  }

  @Post(':requestId/support-activation')
  @HttpCode(200)
  @RequireScopes('support.write')
  supportActivation(@Param('requestId') requestId: string, @Body() body: SupportActivationDto) {
    return this.manualProvisioning.activateBySupport(requestIdOf(requestId), body.agentId, body.reason);
  }

  /** The projection: state, decision, attempts, sends, expiries and the transitions. */
  @Get(':requestId')
  @RequireScopes('wallet.events')
  get(@Param('requestId') requestId: string) {
    return this.manualProvisioning.view(requestIdOf(requestId));
  }
}
