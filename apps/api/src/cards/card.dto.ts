import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  registerDecorator,
} from 'class-validator';
import { CARD_STATUSES, type CardStatus, isValidPan } from '@tlo/domain';
import { NestedObject } from '../http/validation';

function IsPan() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isPan',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isValidPan(value),
        defaultMessage: () => `${propertyName} must be 13 to 19 digits passing the Luhn check`,
      },
    });
}

export class AddressDto {
  @ApiProperty({ example: '05402100' }) @IsString() @Length(1, 16) zipCode!: string;
  @ApiProperty({ example: 'Rua 6 de Março' }) @IsString() @Length(1, 120) address!: string;
  @ApiProperty({ example: '2500' }) @IsString() @Length(1, 16) number!: string;
  @ApiProperty({ example: 'Alter do Chão' }) @IsString() @Length(0, 80) neighborhood!: string;
  @ApiProperty({ example: '' }) @IsString() @Length(0, 80) complement!: string;
  @ApiProperty({ example: 'Santarém' }) @IsString() @Length(1, 80) city!: string;
  @ApiProperty({ example: 'PA' }) @IsString() @Length(1, 40) state!: string;
  @ApiProperty({ example: 'Brasil' }) @IsString() @Length(1, 60) country!: string;
}

export class CreateCardDto {
  @ApiProperty({ example: '5555555555554444', description: 'Stored only encrypted; never returned.' })
  @IsPan()
  pan!: string;

  @ApiProperty({ example: 12 }) @IsInt() @Min(1) @Max(12) expiryMonth!: number;
  @ApiProperty({ example: 2030 }) @IsInt() @Min(2000) @Max(2099) expiryYear!: number;
  @ApiProperty({ example: 'MARIA DA SILVA' }) @IsString() @Length(1, 64) holderName!: string;

  @ApiProperty({ example: '23415162342' })
  @IsString()
  @Matches(/^\+?\d{8,15}$/, { message: 'phoneNumber must be 8 to 15 digits, optionally prefixed by +' })
  phoneNumber!: string;

  @ApiProperty({ type: AddressDto }) @NestedObject(() => AddressDto) address!: AddressDto;

  @ApiPropertyOptional({ example: 'maria@example.com', description: 'Enables e-mail verification codes' })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email?: string;

  @ApiPropertyOptional({ example: 'default', description: 'Card program (one-time code delivery, limits)' })
  @IsOptional()
  @Matches(/^[\w-]{1,64}$/, { message: 'programId must be 1 to 64 letters, digits, _ or -' })
  programId?: string;

  @ApiPropertyOptional({ enum: CARD_STATUSES, default: 'ACTIVE' })
  @IsOptional()
  @IsIn(CARD_STATUSES)
  status?: CardStatus;
}

export class UpdateCardStatusDto {
  @ApiProperty({ enum: CARD_STATUSES }) @IsIn(CARD_STATUSES) status!: CardStatus;
}
