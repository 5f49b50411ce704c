import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches } from 'class-validator';
import { WALLETS, WALLET_EVENT_TYPES, type Wallet, type WalletEventType } from '@tlo/domain';

export class WalletEventDto {
  @ApiProperty({ example: 'a1b2c3' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'proxy must be 1 to 64 letters, digits, - or _' })
  proxy!: string;

  @ApiProperty({ enum: WALLETS }) @IsIn(WALLETS) wallet!: Wallet;
  @ApiProperty({ enum: WALLET_EVENT_TYPES }) @IsIn(WALLET_EVENT_TYPES) eventType!: WalletEventType;

  @ApiProperty({ example: 'DNITHE000000000000000001', description: "The wallet's token reference id" })
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,128}$/, {
    message: 'tokenReferenceId must be 1 to 128 letters, digits or _.:-',
  })
  tokenReferenceId!: string;
}
