import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from '@hearth/protocol';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export interface Page {
  from?: string;
  limit: number;
}

/** `?from=<token>&limit=<n>` on every list. */
export class PageQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  from?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PAGE_LIMIT_MAX)
  limit?: number;
}

export function toPage(q: PageQueryDto): Page {
  return { from: q.from, limit: q.limit ?? PAGE_LIMIT_DEFAULT };
}

/** Callers fetch limit + 1 rows: the extra one says whether there is a next page. */
export function nextToken<T>(rows: T[], limit: number, key: (row: T) => string): { next?: string } {
  return rows.length > limit ? { next: key(rows[limit - 1]) } : {};
}
