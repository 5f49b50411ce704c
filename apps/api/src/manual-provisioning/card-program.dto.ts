import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min, ValidateIf } from 'class-validator';
import { OTP_DELIVERIES, type OtpDelivery } from '@tlo/domain';

export class CardProgramDto {
  @ApiPropertyOptional({ enum: OTP_DELIVERIES, default: 'DIRECT' })
  @IsOptional()
  @IsIn(OTP_DELIVERIES)
  otpDelivery?: OtpDelivery;

  @ApiPropertyOptional({
    example: 'https://issuer.example/otp',
    description: 'https in production; loopback, private, link-local and metadata addresses are refused',
  })
  @ValidateIf(
    (program: CardProgramDto) => program.otpDelivery === 'WEBHOOK' || program.webhookUrl !== undefined,
  )
  @IsString({ message: 'webhookUrl must be a URL (required for WEBHOOK)' })
  webhookUrl?: string;

  @ApiPropertyOptional({ description: 'HMAC secret of the X-Signature header; stored encrypted' })
  @ValidateIf(
    (program: CardProgramDto) => program.otpDelivery === 'WEBHOOK' || program.webhookSecret !== undefined,
  )
  @IsString()
  @Length(16, 256, { message: 'webhookSecret must be 16 to 256 characters (required for WEBHOOK)' })
  webhookSecret?: string;

  @ApiPropertyOptional({ default: 600 }) @IsOptional() @IsInt() @Min(30) @Max(3600) otpTtlSeconds?: number;
  @ApiPropertyOptional({ default: 3 }) @IsOptional() @IsInt() @Min(1) @Max(10) maxAttempts?: number;
  @ApiPropertyOptional({ default: 3 }) @IsOptional() @IsInt() @Min(1) @Max(10) maxSends?: number;
  @ApiPropertyOptional({ default: 2592000 })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(90 * 24 * 3600)
  yellowPathTtlSeconds?: number;
}
