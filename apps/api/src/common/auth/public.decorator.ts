import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'hearth:isPublic';

/**
 * Every route needs a valid access token unless it carries this decorator.
 * A test walks all routes and fails on any public route not on its reviewed list.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
