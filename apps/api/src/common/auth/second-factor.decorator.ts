import { SetMetadata } from '@nestjs/common';

export const BEFORE_SECOND_FACTOR = 'hearth:beforeSecondFactor';

/**
 * Reachable while the hub requires a second factor of the caller and none is set up yet: what is
 * needed to set one up, to see one's account, and to leave (sign out, panic, delete). Every other
 * route answers 403 HEARTH_SECOND_FACTOR_SETUP_REQUIRED until then.
 */
export const BeforeSecondFactor = (): MethodDecorator & ClassDecorator => SetMetadata(BEFORE_SECOND_FACTOR, true);
