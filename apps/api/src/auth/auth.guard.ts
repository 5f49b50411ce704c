import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { AppConfig } from '@tlo/config';
import { CONFIG } from '../core/tokens';
import { ApiError } from '../http/api-error';
import { type Principal, TokenRefused, verifyToken } from './jwt';
import { PUBLIC_KEY, SCOPES_KEY } from './scopes.decorator';

export type AuthenticatedRequest = Request & { principal?: Principal };

/** 401 without a valid bearer token, 403 without every required scope. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new ApiError(401, { code: 'UNAUTHORIZED', message: 'a bearer token is required' });
    let principal: Principal;
    try {
      const { jwtSecret, issuer, maxTokenLifetimeSeconds } = this.config.auth;
      principal = verifyToken(jwtSecret, issuer, match[1], maxTokenLifetimeSeconds);
    } catch (error) {
      const message =
        error instanceof TokenRefused ? error.message : 'the bearer token is invalid or expired';
      throw new ApiError(401, { code: 'UNAUTHORIZED', message });
    }
    const required = this.reflector.getAllAndOverride<string[]>(SCOPES_KEY, targets) ?? [];
    const missing = required.filter((scope) => !principal.scopes.includes(scope));
    if (missing.length > 0) {
      throw new ApiError(403, { code: 'FORBIDDEN', message: `missing scope: ${missing.join(' ')}` });
    }
    request.principal = principal;
    return true;
  }
}
