import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/scopes.decorator';
import { HttpMetrics } from './http-metrics';

/** Prometheus scrape endpoint (text exposition format): route templates and counters only, no ids. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: HttpMetrics) {}

  @Get()
  @Public()
  async scrape(@Res() response: Response): Promise<void> {
    const body = await this.metrics.exposition();
    // Written as is: Express's send() would reorder the content type's parameters.
    response.status(200).setHeader('content-type', this.metrics.contentType);
    response.end(body);
  }
}
