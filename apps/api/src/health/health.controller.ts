import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Client } from '@temporalio/client';
import type { Connection } from 'mongoose';
import { Public } from '../auth/scopes.decorator';
import { MONGO, TEMPORAL_CLIENT } from '../core/tokens';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(MONGO) private readonly mongo: Connection,
  ) {}

  /** 200 when Temporal and MongoDB both answer; 503 naming the one that does not. */
  @Get()
  @Public()
  @HealthCheck()
  check() {
    return this.health.check([
      async () => {
        const indicator = this.indicators.check('temporal');
        try {
          await this.temporal.withDeadline(Date.now() + 3000, () =>
            this.temporal.workflowService.getSystemInfo({}),
          );
          return indicator.up({ namespace: this.temporal.options.namespace });
        } catch (error) {
          return indicator.down({ message: error instanceof Error ? error.message : String(error) });
        }
      },
      async () => {
        const indicator = this.indicators.check('mongodb');
        try {
          await this.mongo.db!.admin().ping();
          return indicator.up();
        } catch (error) {
          return indicator.down({ message: error instanceof Error ? error.message : String(error) });
        }
      },
    ]);
  }
}
