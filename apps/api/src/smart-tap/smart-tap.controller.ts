import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../auth/scopes.decorator';
import { ApiError } from '../http/api-error';
import { CreateClassDto, CreateIssuerDto, CreateObjectDto, RotationPolicyDto, TapDto } from './smart-tap.dto';
import { SmartTapService } from './smart-tap.service';

const issuerIdOf = (raw: string) => {
  if (!/^[\w .-]{1,64}$/.test(raw))
    throw ApiError.badField('issuerId', 'issuerId must be 1 to 64 characters');
  return raw;
};

/** Smart Tap (seed 001): issuers, classes, objects, key sets, terminal credentials and taps. */
@ApiTags('smart-tap')
@ApiBearerAuth()
@Controller('smart-tap')
export class SmartTapController {
  constructor(private readonly smartTap: SmartTapService) {}

  @Post('issuers')
  @RequireScopes('smarttap.admin')
  createIssuer(@Body() body: CreateIssuerDto) {
    return this.smartTap.createIssuer(body);
  }

  @Post('classes')
  @RequireScopes('smarttap.admin')
  createClass(@Body() body: CreateClassDto) {
    return this.smartTap.createClass(body);
  }

  @Post('objects')
  @RequireScopes('smarttap.admin')
  createObject(@Body() body: CreateObjectDto) {
    return this.smartTap.createObject(body);
  }

  @Get('issuers/:issuerId/keys')
  @RequireScopes('smarttap.admin')
  keys(@Param('issuerId') issuerId: string) {
    return this.smartTap.keys(issuerIdOf(issuerId));
  }

  @Post('issuers/:issuerId/keys/rotate')
  @HttpCode(200)
  @RequireScopes('smarttap.admin')
  rotate(@Param('issuerId') issuerId: string) {
    return this.smartTap.rotate(issuerIdOf(issuerId));
  }

  @Post('issuers/:issuerId/keys/:version/revoke')
  @HttpCode(200)
  @RequireScopes('smarttap.admin')
  revoke(
    @Param('issuerId') issuerId: string,
    @Param(
      'version',
      new ParseIntPipe({
        exceptionFactory: () => ApiError.badField('version', 'version must be an integer'),
      }),
    )
    version: number,
  ) {
    return this.smartTap.revoke(issuerIdOf(issuerId), version);
  }

  @Put('issuers/:issuerId/rotation-policy')
  @RequireScopes('smarttap.admin')
  policy(@Param('issuerId') issuerId: string, @Body() body: RotationPolicyDto) {
    return this.smartTap.setPolicy(issuerIdOf(issuerId), body);
  }

  @Get('terminals/:collectorId/credentials')
  @RequireScopes('smarttap.terminal')
  credentials(@Param('collectorId') collectorId: string) {
    if (!/^\d{8}$/.test(collectorId)) throw ApiError.badField('collectorId', 'collectorId must be 8 digits');
    return this.smartTap.terminalCredentials(collectorId);
  }

  @Post('tap')
  @HttpCode(200)
  @RequireScopes('smarttap.terminal')
  tap(@Body() body: TapDto) {
    return this.smartTap.tap(body);
  }
}
