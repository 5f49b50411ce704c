import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { WALLETS, type Wallet } from '@tlo/domain';

export class TokenizationRequestDto {
  @ApiProperty({ example: 'a1b2c3' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'proxy must be 1 to 64 letters, digits, - or _' })
  proxy!: string;

  @ApiProperty({ enum: WALLETS }) @IsIn(WALLETS) wallet!: Wallet;

  @ApiProperty({ example: 'device-7f3a' })
  @IsString()
  @Matches(/^[\w.:-]{1,128}$/, { message: 'deviceId must be 1 to 128 letters, digits or _.:-' })
  deviceId!: string;

  @ApiProperty({ minimum: 0, maximum: 100, example: 42 }) @IsInt() @Min(0) @Max(100) walletRiskScore!: number;

  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() deviceNewToAccount?: boolean;
}

export class SendOtpDto {
  @ApiProperty({ example: 'sms' })
  @IsString()
  @Matches(/^[a-z]{1,16}$/, { message: 'methodId is not valid' })
  methodId!: string;
}

export class VerifyOtpDto {
  @ApiProperty({ example: '123456' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code!: string;
}

export class SupportActivationDto {
  @ApiProperty({ example: 'agent-42' })
  @IsString()
  @Matches(/^[\w.@-]{1,64}$/, { message: 'agentId must be 1 to 64 letters, digits or _.@-' })
  agentId!: string;

  @ApiProperty({ example: 'Cardholder identified by phone' })
  @IsString()
  @Matches(/^[^\n]{3,500}$/, { message: 'reason must be 3 to 500 characters on one line' })
  reason!: string;
}
