import { Module } from '@nestjs/common';
import { SmartTapController } from './smart-tap.controller';
import { SmartTapService } from './smart-tap.service';

@Module({
  controllers: [SmartTapController],
  providers: [SmartTapService],
})
export class SmartTapModule {}
