import { Injectable, PipeTransform } from '@nestjs/common';
import { ErrorCode } from '@hearth/protocol';
import { HearthException } from '../errors/hearth.exception';

/** For routes that take no body: anything sent is an unknown field, and refused like one. */
@Injectable()
export class EmptyBodyPipe implements PipeTransform {
  transform(value: unknown): undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'object' && Object.keys(value).length === 0) return undefined;
    throw new HearthException(ErrorCode.InvalidParam, 'This request takes no body');
  }
}
