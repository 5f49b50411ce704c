import { ApiProperty } from '@nestjs/swagger';
import { Equals, IsInt, IsString, Matches, MaxLength, Min } from 'class-validator';
import { E164 } from '@tlo/domain';
import { NestedObject } from '../http/validation';

const REQUEST_ID = /^[\w-]{1,100}$/;

export class ProtocolVersionDto {
  @ApiProperty({ example: 1 })
  @IsInt()
  @Equals(1, { message: 'protocolVersion.major must be 1' })
  major!: number;
  @ApiProperty({ example: 0 }) @IsInt() @Min(0) minor!: number;
  @ApiProperty({ example: 0 }) @IsInt() @Min(0) revision!: number;
}

export class RequestHeaderDto {
  @ApiProperty({ example: 'G5X7NKFMRJ4TJ' })
  @IsString()
  @Matches(REQUEST_ID, { message: 'requestId must be 1 to 100 letters, digits, _ or -' })
  requestId!: string;

  @ApiProperty({ example: '1795401060000', description: 'milliseconds since the epoch, as a string' })
  @IsString()
  @Matches(/^\d{1,15}$/, { message: 'requestTimestamp must be milliseconds since the epoch, as a string' })
  requestTimestamp!: string;

  @ApiProperty({ type: ProtocolVersionDto })
  @NestedObject(() => ProtocolVersionDto)
  protocolVersion!: ProtocolVersionDto;
}

export class StandardPaymentsRequestDto {
  @ApiProperty({ type: RequestHeaderDto })
  @NestedObject(() => RequestHeaderDto)
  requestHeader!: RequestHeaderDto;
}

export class EchoDto extends StandardPaymentsRequestDto {
  @ApiProperty({ example: 'hello' }) @IsString() @MaxLength(1000) clientMessage!: string;
}

export class StandardPaymentsSendOtpDto extends StandardPaymentsRequestDto {
  @ApiProperty({ example: '+5511987654242' })
  @IsString()
  @Matches(E164, { message: 'accountPhoneNumber must be an E.164 number (+ and 8 to 15 digits)' })
  accountPhoneNumber!: string;

  @ApiProperty({ example: 'G-3F9A' })
  @IsString()
  @Matches(/^[\w-]{1,64}$/, { message: 'smsMatchingToken must be 1 to 64 letters, digits, _ or -' })
  smsMatchingToken!: string;
}

export class StandardPaymentsVerifyOtpDto extends StandardPaymentsRequestDto {
  @ApiProperty()
  @IsString()
  @Matches(REQUEST_ID, { message: 'sendOtpRequestId is not a request id' })
  sendOtpRequestId!: string;

  @ApiProperty({ example: '123456' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'otp must be 6 digits' })
  otp!: string;
}

/** A request that proves an authentication and names a Google Payment Token. */
export class RefreshTokenDto extends StandardPaymentsRequestDto {
  @ApiProperty()
  @IsString()
  @Matches(REQUEST_ID, { message: 'authenticationRequestId is not a request id' })
  authenticationRequestId!: string;

  @ApiProperty()
  @IsString()
  @Matches(/^[\w.~+/=-]{16,512}$/, { message: 'googlePaymentToken must be 16 to 512 token characters' })
  googlePaymentToken!: string;
}

export class AssociateAccountDto extends RefreshTokenDto {
  @ApiProperty()
  @IsString()
  @Matches(REQUEST_ID, { message: 'associationId must be 1 to 100 letters, digits, _ or -' })
  associationId!: string;
}

export class CreateFopAccountDto {
  @ApiProperty({ example: 'acct-sally' })
  @IsString()
  @Matches(/^[\w-]{1,64}$/, { message: 'accountId must be 1 to 64 letters, digits, _ or -' })
  accountId!: string;

  @ApiProperty({ example: '+5511987654242' })
  @IsString()
  @Matches(E164, { message: 'phoneNumber must be an E.164 number (+ and 8 to 15 digits)' })
  phoneNumber!: string;

  @ApiProperty({ example: 'sally' })
  @IsString()
  @Matches(/^[\w.@-]{3,64}$/, { message: 'username must be 3 to 64 letters, digits or _.@-' })
  username!: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @MaxLength(200)
  @Matches(/^.{8,}$/s, { message: 'password must have at least 8 characters' })
  password!: string;
}
