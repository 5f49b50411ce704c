import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { PASS_STATES, type PassState } from '@tlo/domain';
import { NestedObject } from '../http/validation';

const ID = /^[\w .-]{1,64}$/;
const HEX = (bytes: number) => new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`);

export class CreateIssuerDto {
  @ApiProperty({ example: '456' })
  @IsString()
  @Matches(ID, { message: 'issuerId must be 1 to 64 characters' })
  issuerId!: string;

  @ApiProperty({ example: 'Eat-foo' })
  @IsString()
  @Matches(/^.{1,100}$/, { message: 'name must be 1 to 100 characters' })
  name!: string;

  @ApiPropertyOptional({ example: '44444444' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{8}$/, { message: 'collectorId must be 8 digits' })
  collectorId?: string;
}

export class CreateClassDto {
  @ApiProperty({ example: 'R-basic' })
  @IsString()
  @Matches(ID, { message: 'classId must be 1 to 64 characters' })
  classId!: string;

  @ApiProperty({ example: '123' })
  @IsString()
  @Matches(ID, { message: 'issuerId must be 1 to 64 characters' })
  issuerId!: string;

  @ApiProperty() @IsBoolean() enableSmartTap!: boolean;

  @ApiProperty({ example: ['456', '789'] })
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(ID, { each: true, message: 'redemptionIssuers must be issuer ids' })
  redemptionIssuers!: string[];
}

export class ValidTimeIntervalDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({}, { message: 'validTimeInterval.start must be ISO 8601' })
  start?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({}, { message: 'validTimeInterval.end must be ISO 8601' })
  end?: string;
}

export class CreateObjectDto {
  @ApiProperty({ example: 'basic-sally' })
  @IsString()
  @Matches(ID, { message: 'objectId must be 1 to 64 characters' })
  objectId!: string;

  @ApiProperty({ example: 'R-basic' })
  @IsString()
  @Matches(ID, { message: 'classId must be 1 to 64 characters' })
  classId!: string;

  @ApiProperty({ example: 'RB-0001' })
  @IsString()
  @Matches(/^[\x20-\x7e]{1,256}$/, {
    message: 'smartTapRedemptionValue must be 1 to 256 printable ASCII characters',
  })
  smartTapRedemptionValue!: string;

  @ApiProperty({ enum: PASS_STATES }) @IsIn(PASS_STATES) state!: PassState;

  @ApiPropertyOptional({ type: ValidTimeIntervalDto })
  @NestedObject(() => ValidTimeIntervalDto, { optional: true })
  validTimeInterval?: ValidTimeIntervalDto;
}

export class RotationPolicyDto {
  @ApiProperty({ example: 7776000 }) @IsInt() @Min(60) @Max(10 * 365 * 24 * 3600) periodSeconds!: number;
  @ApiProperty({ example: 604800 }) @IsInt() @Min(0) @Max(365 * 24 * 3600) graceSeconds!: number;
}

export class TapDto {
  @ApiProperty({ example: '44444444' })
  @IsString()
  @Matches(/^\d{1,10}$/, { message: 'collectorId must be digits' })
  collectorId!: string;

  @ApiProperty({ example: 1 }) @IsInt() @Min(1) keyVersion!: number;

  @ApiProperty()
  @IsString()
  @Matches(HEX(32), { message: 'terminalNonce must be 32 bytes of hex' })
  terminalNonce!: string;

  @ApiProperty()
  @IsString()
  @Matches(HEX(32), { message: 'mobileNonce must be 32 bytes of hex' })
  mobileNonce!: string;

  @ApiProperty()
  @IsString()
  @Matches(/^0[23][0-9a-fA-F]{64}$/, {
    message: 'terminalEphemeralPublicKey must be a compressed P-256 point (33 bytes of hex)',
  })
  terminalEphemeralPublicKey!: string;

  @ApiProperty()
  @IsString()
  @Matches(/^30[0-9a-fA-F]{10,150}$/, { message: 'signature must be a DER ECDSA signature in hex' })
  signature!: string;

  @ApiProperty({ example: ['basic-sally'] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(ID, { each: true, message: 'passes must be object ids' })
  passes!: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(ID, { message: 'viewedObjectId must be an object id' })
  viewedObjectId?: string;
}
