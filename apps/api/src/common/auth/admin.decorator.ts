import { SetMetadata } from '@nestjs/common';

export const ADMIN_ONLY = 'hearth:adminOnly';

/** Only hub admins may call this route (checked by AuthGuard after authentication). */
export const AdminOnly = (): MethodDecorator & ClassDecorator => SetMetadata(ADMIN_ONLY, true);
