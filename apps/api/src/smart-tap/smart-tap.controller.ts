import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../auth/scopes.decorator';
import { CallerSubject, requireOwnTenant } from '../auth/tenant';
import { CollectorIdParam, IssuerIdParam, KeyVersionParam } from '../http/params';
import { CreateClassDto, CreateIssuerDto, CreateObjectDto, RotationPolicyDto, TapDto } from './smart-tap.dto';
import { SmartTapService } from './smart-tap.service';

/** Smart Tap: issuers, classes, objects, key sets, terminal credentials and taps. */
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
  keys(@IssuerIdParam() issuerId: string) {
    return this.smartTap.keys(issuerId);
  }

  @Post('issuers/:issuerId/keys/rotate')
  @HttpCode(200)
  @RequireScopes('smarttap.admin')
  rotate(@IssuerIdParam() issuerId: string) {
    return this.smartTap.rotate(issuerId);
  }

  @Post('issuers/:issuerId/keys/:version/revoke')
  @HttpCode(200)
  @RequireScopes('smarttap.admin')
  revoke(@IssuerIdParam() issuerId: string, @KeyVersionParam() version: number) {
    return this.smartTap.revoke(issuerId, version);
  }

  @Put('issuers/:issuerId/rotation-policy')
  @RequireScopes('smarttap.admin')
  policy(@IssuerIdParam() issuerId: string, @Body() body: RotationPolicyDto) {
    return this.smartTap.setPolicy(issuerId, body);
  }

  /** A terminal's token names its collector id (`sub`): it gets that collector's credentials only. */
  @Get('terminals/:collectorId/credentials')
  @RequireScopes('smarttap.terminal')
  credentials(@CallerSubject() terminal: string, @CollectorIdParam() collectorId: string) {
    requireOwnTenant(terminal, collectorId, 'collectorId');
    return this.smartTap.terminalCredentials(collectorId);
  }

  /** ...and taps only as that collector. */
  @Post('tap')
  @HttpCode(200)
  @RequireScopes('smarttap.terminal')
  tap(@CallerSubject() terminal: string, @Body() body: TapDto) {
    requireOwnTenant(terminal, body.collectorId, 'collectorId');
    return this.smartTap.tap(body);
  }
}
