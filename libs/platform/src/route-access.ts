import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'hookstream:public';
export const ADMIN_ONLY_ROUTE = 'hookstream:admin-only';

/** Opts a route out of the API-key guard (health, metrics). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);
/** Restricts a route to admin keys. */
export const AdminOnly = (): MethodDecorator & ClassDecorator => SetMetadata(ADMIN_ONLY_ROUTE, true);
