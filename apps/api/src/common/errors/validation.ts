import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ErrorCode } from '@hearth/protocol';
import { HearthException } from './hearth.exception';

function firstMessage(errors: ValidationError[], prefix = ''): string {
  for (const e of errors) {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) {
      // Say the most basic thing first: "should not exist" or "must be a string" before "too long".
      const keys = Object.keys(e.constraints);
      const key =
        keys.find((k) => k === 'whitelistValidation') ??
        keys.find((k) => k === 'isDefined' || k === 'isNotEmpty') ??
        keys.find((k) => /^is[A-Z]/.test(k)) ??
        keys[0];
      const message = e.constraints[key];
      // class-validator starts messages with the bare property name: show the full path.
      return message.startsWith(e.property) ? path + message.slice(e.property.length) : message;
    }
    if (e.children?.length) return firstMessage(e.children, path);
  }
  return 'invalid request';
}

/** Whitelisting validation: unknown fields, wrong types and missing fields are all 400. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    // No implicit conversion: "12" is not a number, 1 is not a string.
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new HearthException(ErrorCode.InvalidParam, firstMessage(errors)),
  });
}
