import { SetMetadata } from '@nestjs/common';

export const SCOPES_KEY = 'auth:scopes';
export const PUBLIC_KEY = 'auth:public';

/** The caller's token must carry every one of these scopes. */
export const RequireScopes = (...scopes: string[]) => SetMetadata(SCOPES_KEY, scopes);
/** No bearer token needed (health, docs, codec with its own policy). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
