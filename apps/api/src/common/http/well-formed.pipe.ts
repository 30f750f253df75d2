import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { ErrorCode } from '@hearth/protocol';
import { HearthException } from '../errors/hearth.exception';

/** Deeper than any body Hearth takes (Matrix key bodies are about six levels deep). */
export const MAX_INPUT_DEPTH = 32;

/**
 * Why a value cannot be taken as input, or null when it can: every string in it (keys too) must
 * be well-formed Unicode without NUL — PostgreSQL cannot store NUL in text, and its JSON types
 * refuse lone surrogates — and it may nest at most MAX_INPUT_DEPTH levels. Walked without
 * recursion, so no input can exhaust the stack.
 */
export function inputProblem(value: unknown): string | null {
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 0 }];
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (!v.isWellFormed() || v.includes('\0')) return 'Text may not hold NUL characters or broken Unicode';
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_INPUT_DEPTH) return `Input may nest at most ${MAX_INPUT_DEPTH} levels`;
    if (Array.isArray(v)) for (const x of v as unknown[]) stack.push({ v: x, depth: depth + 1 });
    else
      for (const [k, x] of Object.entries(v)) {
        stack.push({ v: k, depth: depth + 1 });
        stack.push({ v: x, depth: depth + 1 });
      }
  }
  return null;
}

/**
 * Global, before validation: bodies, path parameters and query strings that no handler could
 * store are refused with 400 up front (a NUL in a path segment would otherwise reach a query and
 * fail there as a 500).
 */
@Injectable()
export class WellFormedInputPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value; // the caller's identity, not input
    const problem = inputProblem(value);
    if (problem) throw new HearthException(ErrorCode.InvalidParam, problem);
    return value;
  }
}
