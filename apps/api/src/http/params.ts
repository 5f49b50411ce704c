import { Param, type PipeTransform } from '@nestjs/common';
import { ApiError } from './api-error';

const PROXY = /^[A-Za-z0-9_-]{1,64}$/;

class ProxyPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!PROXY.test(value)) throw ApiError.badField('proxy', 'proxy must be 1 to 64 letters, digits, - or _');
    return value;
  }
}

/** The card's `proxy` path parameter, validated. */
export const ProxyParam = () => Param('proxy', new ProxyPipe());
