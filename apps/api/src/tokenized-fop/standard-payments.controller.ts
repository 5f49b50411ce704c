import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireScopes } from '../auth/scopes.decorator';
import { IdempotencyService } from './idempotency.service';
import {
  AssociateAccountDto,
  EchoDto,
  RefreshTokenDto,
  StandardPaymentsSendOtpDto,
  StandardPaymentsRequestDto,
  StandardPaymentsVerifyOtpDto,
} from './standard-payments.dto';
import { TokenizedFopService } from './tokenized-fop.service';

/**
 * Google Standard Payments v1, integrator-hosted methods. Every method is idempotent by
 * `requestHeader.requestId`: the 200 answer is stored and replayed byte for byte.
 */
@ApiTags('tokenized-fop')
@ApiBearerAuth()
@Controller('standard-payments/v1')
export class StandardPaymentsController {
  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly fop: TokenizedFopService,
  ) {}

  @Post('echo')
  @HttpCode(200)
  @RequireScopes('standard-payments')
  async echo(@Body() body: EchoDto, @Res() res: Response): Promise<void> {
    await this.answer(res, 'echo', body, async () => ({
      clientMessage: body.clientMessage,
      serverMessage: `echo from the tokenization orchestrator: ${body.clientMessage}`,
    }));
  }

  @Post('sendOtp')
  @HttpCode(200)
  @RequireScopes('standard-payments')
  async sendOtp(@Body() body: StandardPaymentsSendOtpDto, @Res() res: Response): Promise<void> {
    await this.answer(res, 'sendOtp', body, () =>
      this.fop.sendOtp(body.requestHeader.requestId, body.accountPhoneNumber, body.smsMatchingToken),
    );
  }

  @Post('verifyOtp')
  @HttpCode(200)
  @RequireScopes('standard-payments')
  async verifyOtp(@Body() body: StandardPaymentsVerifyOtpDto, @Res() res: Response): Promise<void> {
    await this.answer(res, 'verifyOtp', body, () => this.fop.verifyOtp(body.sendOtpRequestId, body.otp));
  }

  @Post('associateAccount')
  @HttpCode(200)
  @RequireScopes('standard-payments')
  async associateAccount(@Body() body: AssociateAccountDto, @Res() res: Response): Promise<void> {
    await this.answer(res, 'associateAccount', body, () =>
      this.fop.associateAccount(body.authenticationRequestId, body.associationId, body.googlePaymentToken),
    );
  }

  @Post('refreshToken')
  @HttpCode(200)
  @RequireScopes('standard-payments')
  async refreshToken(@Body() body: RefreshTokenDto, @Res() res: Response): Promise<void> {
    await this.answer(res, 'refreshToken', body, () =>
      this.fop.refreshToken(body.authenticationRequestId, body.googlePaymentToken),
    );
  }

  private async answer(
    res: Response,
    method: string,
    body: StandardPaymentsRequestDto,
    evaluate: () => Promise<object>,
  ): Promise<void> {
    const bytes = await this.idempotency.run(method, body, evaluate);
    res.status(200).type('application/json').send(bytes);
  }
}
