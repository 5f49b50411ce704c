import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CallerSubject } from '../auth/caller-subject.decorator';
import { RequireScopes } from '../auth/scopes.decorator';
import { RequestIdParam } from '../http/params';
import { ManualProvisioningService } from './manual-provisioning.service';
import {
  SendOtpDto,
  SupportActivationDto,
  TokenizationRequestDto,
  VerifyOtpDto,
} from './tokenization-request.dto';

/**
 * The wallet's token service asking for a decision on a manually entered card. A request
 * is its caller's: another caller's read, send or verification is answered 404.
 */
@ApiTags('manual-provisioning')
@ApiBearerAuth()
@Controller('tokenization-requests')
export class TokenizationRequestsController {
  constructor(private readonly manualProvisioning: ManualProvisioningService) {}

  @Post()
  @HttpCode(201)
  @RequireScopes('wallet.events')
  create(@CallerSubject() caller: string, @Body() body: TokenizationRequestDto) {
    return this.manualProvisioning.requestDecision(caller, {
      ...body,
      deviceNewToAccount: body.deviceNewToAccount ?? false,
    });
  }

  @Post(':requestId/otp')
  @HttpCode(200)
  @RequireScopes('wallet.events')
  sendOtp(@CallerSubject() caller: string, @RequestIdParam() requestId: string, @Body() body: SendOtpDto) {
    return this.manualProvisioning.sendOtp(caller, requestId, body.methodId);
  }

  @Post(':requestId/otp/verify')
  @HttpCode(200)
  @RequireScopes('wallet.events')
  verify(@CallerSubject() caller: string, @RequestIdParam() requestId: string, @Body() body: VerifyOtpDto) {
    return this.manualProvisioning.verifyOtp(caller, requestId, body.code);
  }

  @Post(':requestId/support-activation')
  @HttpCode(200)
  @RequireScopes('support.write')
  supportActivation(@RequestIdParam() requestId: string, @Body() body: SupportActivationDto) {
    return this.manualProvisioning.activateBySupport(requestId, body.agentId, body.reason);
  }

  /** The projection: state, decision, attempts, sends, expiries and the transitions. */
  @Get(':requestId')
  @RequireScopes('wallet.events')
  get(@CallerSubject() caller: string, @RequestIdParam() requestId: string) {
    return this.manualProvisioning.view(caller, requestId);
  }
}
