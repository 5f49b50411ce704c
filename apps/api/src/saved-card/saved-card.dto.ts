import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  type BillingDetails,
  BUYER_DELETIONS,
  type BuyerDeletion,
  CANCELLERS,
  type CancelledBy,
} from '@tlo/domain';
import { NestedObject } from '../http/nested-object';

const REFERENCE = /^[\w.@+-]{1,64}$/;
const ORDER_ID = /^[\w.:/-]{1,64}$/;
const TOKEN = /^[0-9a-f]{32}$/;
const CURRENCY = /^[A-Z]{3}$/;

export class ShopDto {
  @ApiProperty({ description: 'The offer includes payment by token (saved cards).' })
  @IsBoolean()
  tokenPaymentOption!: boolean;

  @ApiProperty({ enum: BUYER_DELETIONS, description: 'AUTOMATIC: buyers may delete their saved cards.' })
  @IsIn(BUYER_DELETIONS, { message: `buyerDeletion must be one of ${BUYER_DELETIONS.join(', ')}` })
  buyerDeletion!: BuyerDeletion;

  @ApiPropertyOptional({
    example: 'https://shop.example.com/ipn',
    description: 'https in production; loopback, private, link-local and metadata addresses are refused',
  })
  @IsOptional()
  @IsString({ message: 'notificationUrl must be a URL' })
  notificationUrl?: string;

  @ApiPropertyOptional({ description: 'Key of the notifications X-Signature (HMAC-SHA256).' })
  @IsOptional()
  @IsString()
  @Matches(/^.{16,200}$/, { message: 'notificationSecret must be 16 to 200 characters' })
  notificationSecret?: string;
}

export class BillingDetailsDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) firstName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) lastName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(32) phoneNumber?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) address?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(16) zipCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) city?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be ISO 3166-1 alpha-2' })
  country?: string;
}

/** The billing details as plain data: only the fields the caller sent. */
export function billingDetailsOf(dto: BillingDetailsDto): BillingDetails {
  return Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined));
}

export class CustomerDto {
  @ApiPropertyOptional({ example: 'sample@example.com' })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email?: string;

  @ApiPropertyOptional({ example: 'cust-001', description: "The buyer's unique reference: the wallet key." })
  @IsOptional()
  @Matches(REFERENCE, { message: 'reference must be 1 to 64 letters, digits or ._@+-' })
  reference?: string;

  @ApiPropertyOptional({ type: BillingDetailsDto })
  @NestedObject(() => BillingDetailsDto, { optional: true })
  billingDetails?: BillingDetailsDto;
}

class OrderDto {
  @ApiProperty({ example: 'EUR' })
  @Matches(CURRENCY, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency!: string;

  @ApiProperty({ example: 'myOrderId-999999' })
  @Matches(ORDER_ID, { message: 'orderId must be 1 to 64 letters, digits or ._:/-' })
  orderId!: string;
}

export class CreatePaymentDto extends OrderDto {
  @ApiProperty({ example: 40000, description: 'In the currency’s smallest unit (cents).' })
  @IsInt({ message: 'amount must be an integer number of cents' })
  @Min(1)
  @Max(100_000_000)
  amount!: number;

  @ApiPropertyOptional({ example: 'CUSTOMER_WALLET' })
  @IsOptional()
  @IsIn(['PAYMENT', 'CUSTOMER_WALLET'], { message: 'formAction must be PAYMENT or CUSTOMER_WALLET' })
  formAction?: 'PAYMENT' | 'CUSTOMER_WALLET';

  @ApiPropertyOptional({ type: CustomerDto })
  @NestedObject(() => CustomerDto, { optional: true })
  customer?: CustomerDto;

  @ApiPropertyOptional({ description: 'Pay now with this saved card (a use of the token).' })
  @IsOptional()
  @Matches(TOKEN, { message: 'paymentMethodToken must be 32 hexadecimal characters' })
  paymentMethodToken?: string;
}

export class CreateTokenDto extends OrderDto {
  @ApiPropertyOptional({ type: CustomerDto })
  @NestedObject(() => CustomerDto, { optional: true })
  customer?: CustomerDto;
}

export class CreateSubscriptionDto extends OrderDto {
  @ApiProperty() @IsInt({ message: 'amount must be an integer number of cents' }) @Min(1) amount!: number;

  @ApiProperty()
  @Matches(TOKEN, { message: 'paymentMethodToken must be 32 hexadecimal characters' })
  paymentMethodToken!: string;

  @ApiProperty({ example: 'RRULE:FREQ=MONTHLY;BYMONTHDAY=10' })
  @Matches(/^RRULE:[A-Z0-9=;,-]{1,200}$/, { message: 'rrule must be an RFC 5545 RRULE' })
  rrule!: string;
}

export class TokenRefDto {
  @ApiProperty()
  @Matches(TOKEN, { message: 'paymentMethodToken must be 32 hexadecimal characters' })
  paymentMethodToken!: string;
}

export class CancelTokenDto extends TokenRefDto {
  @ApiProperty({ enum: CANCELLERS, description: "BUYER follows the shop's buyerDeletion setting." })
  @IsIn(CANCELLERS, { message: 'by must be BUYER or MERCHANT' })
  by!: CancelledBy;
}

class WalletCustomerDto {
  @ApiProperty({ example: 'cust-001' })
  @Matches(REFERENCE, { message: 'reference must be 1 to 64 letters, digits or ._@+-' })
  reference!: string;
}

export class WalletGetDto {
  @ApiProperty({ type: WalletCustomerDto })
  @NestedObject(() => WalletCustomerDto)
  customer!: WalletCustomerDto;
}

class WalletUpdateCustomerDto extends WalletCustomerDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email?: string;

  @ApiPropertyOptional({ type: BillingDetailsDto })
  @NestedObject(() => BillingDetailsDto, { optional: true })
  billingDetails?: BillingDetailsDto;
}

export class WalletUpdateDto {
  @ApiProperty({ type: WalletUpdateCustomerDto })
  @NestedObject(() => WalletUpdateCustomerDto)
  customer!: WalletUpdateCustomerDto;
}

/** Card data typed by the buyer in the form: never stored as is (CVV never at all). */
export class CardDto {
  @ApiProperty({ example: '4970101122334455' })
  @Matches(/^\d{12,19}$/, { message: 'pan must be 12 to 19 digits' })
  pan!: string;

  @ApiProperty({ example: 12 })
  @IsInt({ message: 'expiryMonth must be 1 to 12' })
  @Min(1)
  @Max(12)
  expiryMonth!: number;

  @ApiProperty({ example: 2030 })
  @IsInt({ message: 'expiryYear must be a 4-digit year' })
  @Min(2000)
  @Max(2099)
  expiryYear!: number;

  @ApiProperty({ example: '123' })
  @Matches(/^\d{3,4}$/, { message: 'cvv must be 3 or 4 digits' })
  cvv!: string;

  @ApiPropertyOptional({ example: 'CB', description: 'For a co-badged card, the brand the buyer chose.' })
  @IsOptional()
  @Matches(/^[A-Z_]{2,20}$/, { message: 'brand must be a brand name such as CB or VISA' })
  brand?: string;
}

export class FormSubmitDto {
  @ApiPropertyOptional({ type: CardDto })
  @NestedObject(() => CardDto, { optional: true })
  card?: CardDto;

  @ApiPropertyOptional({ description: 'Save the card (a token form always saves).' })
  @IsOptional()
  @IsBoolean()
  save?: boolean;

  @ApiPropertyOptional({ description: "Pay with one of the buyer's saved cards." })
  @IsOptional()
  @Matches(TOKEN, { message: 'paymentMethodToken must be 32 hexadecimal characters' })
  paymentMethodToken?: string;
}
