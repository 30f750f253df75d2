import { Injectable, PipeTransform } from '@nestjs/common';
import { ErrorCode } from '@hearth/protocol';
import { HearthException } from '../errors/hearth.exception';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/**
 * For Matrix-shaped bodies, whose nested maps have user-, device- and key-id keys that no DTO
 * class can name: checks the body is an object and holds only the allowed top-level fields.
 * The services validate the nested structure with the helpers below.
 */
@Injectable()
export class JsonBodyPipe implements PipeTransform {
  /**
   * `allowed`: the top-level fields; 'user-ids' for a map keyed by Matrix user ids; 'any' when the
   * service checks the fields itself (room event content, refused as not encrypted).
   */
  constructor(private readonly allowed: readonly string[] | 'user-ids' | 'any') {}

  transform(value: unknown): JsonObject {
    const body = value ?? {};
    if (!isObject(body)) throw invalid('The body must be a JSON object');
    if (this.allowed === 'any') return body;
    for (const key of Object.keys(body)) {
      const ok = this.allowed === 'user-ids' ? /^@[^:]+:.+$/.test(key) : this.allowed.includes(key);
      if (!ok) throw invalid(`property ${key} should not exist`);
    }
    return body;
  }
}

export function invalid(message: string): HearthException {
  return new HearthException(ErrorCode.InvalidParam, message);
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function objectAt(v: unknown, path: string): JsonObject {
  if (!isObject(v)) throw invalid(`${path} must be an object`);
  return v;
}

export function stringAt(v: unknown, path: string, max = 4096): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) throw invalid(`${path} must be a non-empty string`);
  return v;
}

export function stringArrayAt(v: unknown, path: string): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw invalid(`${path} must be a list of strings`);
  return v;
}
