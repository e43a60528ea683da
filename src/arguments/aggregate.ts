// The argument of crm.records.aggregate: shapes only (docs/reports.md). Whether a property
// exists, whether two types associate and whether a type has a primary company need the schema,
// and are the query layer's (src/query/aggregate.ts). Every shape problem of a request is
// reported at once, each named by its place (`request.groupBy.1.primaryCompany.property`).
import { z } from 'zod';
import { describeValue, isCrmError, IssueList, type IssuePath } from '../errors.js';
import type { AggregateDimension, FilterGroup } from '../types.js';
import { isPlainObject } from './options.js';
import { parseFilterSpec } from './search.js';
import { argumentIssues } from './zod.js';

const requestSchema = z.strictObject({
  // Parsed apart below, so that their problems name their own places.
  filter: z.unknown().optional(),
  groupBy: z.unknown().optional(),
  sum: z.string().optional(),
});

const propertySchema = z.strictObject({ property: z.string() });
const labelSchema = z.strictObject({ associationLabel: z.strictObject({ toType: z.string() }) });
const primaryCompanySchema = z.strictObject({ primaryCompany: z.strictObject({ property: z.string() }) });

/**
 * An aggregate request after its shape is checked: the filter's groups (`undefined`: every live
 * record), one or two dimensions, the number property to sum.
 *
 * @example
 * const input: AggregateInput = parseAggregateRequest({ groupBy: { property: 'dealstage' }, sum: 'amount' });
 */
export interface AggregateInput {
  readonly filterGroups: readonly FilterGroup[] | undefined;
  readonly dimensions: readonly AggregateDimension[];
  /** Whether `groupBy` was a list (problems are then named by their index in it). */
  readonly listed: boolean;
  readonly sum: string | undefined;
}

/** Runs a part of the parse, moving a VALIDATION_ERROR's issues into `issues` (so every part is reported). */
function gather<T>(issues: IssueList, parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (!isCrmError(error, 'VALIDATION_ERROR')) throw error;
    for (const issue of error.details.issues) issues.add(issue);
    issues.countOnly(Math.max(0, (error.details.issueCount ?? 0) - error.details.issues.length));
    return undefined;
  }
}

/** One dimension's shape, by the key that says which kind it is; its problems go to `issues`. */
function parseDimension(value: Record<string, unknown>, path: IssuePath, issues: IssueList): AggregateDimension | undefined {
  const schema = 'associationLabel' in value ? labelSchema : 'primaryCompany' in value ? primaryCompanySchema : propertySchema;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of argumentIssues(parsed.error, path, schema)) issues.add(issue);
  return undefined;
}

/**
 * An aggregate request's shape: VALIDATION_ERROR listing every problem (an unknown key, a
 * dimension of no known kind, `groupBy` missing or not one or two dimensions, a bad filter or
 * `sum`), each with its path.
 *
 * @example
 * parseAggregateRequest({ groupBy: [{ property: 'dealstage' }, { associationLabel: { toType: 'contacts' } }] });
 */
export function parseAggregateRequest(request: unknown): AggregateInput {
  const issues = new IssueList();
  const invalid = (path: IssuePath, message: string): void => issues.add({ code: 'INVALID_ARGUMENT', path, message: `${path.join('.')}: ${message}` });
  if (!isPlainObject(request)) {
    invalid(['request'], `aggregate expects a request object ({ groupBy, filter?, sum? }), got ${describeValue(request)}`);
    throw issues.error('aggregate');
  }
  const parsed = requestSchema.safeParse(request);
  if (!parsed.success) for (const issue of argumentIssues(parsed.error, ['request'], requestSchema)) issues.add(issue);
  const { filter, groupBy } = request;
  const filterGroups = gather(issues, () => parseFilterSpec(filter, ['request', 'filter'], 'aggregate'));
  const dimensions: AggregateDimension[] = [];
  const one = (value: unknown, path: IssuePath): void => {
    if (!isPlainObject(value)) {
      invalid(path, `a dimension is { property }, { associationLabel: { toType } } or { primaryCompany: { property } }, got ${describeValue(value)}`);
      return;
    }
    const dimension = parseDimension(value, path, issues);
    if (dimension !== undefined) dimensions.push(dimension);
  };
  if (groupBy === undefined) invalid(['request', 'groupBy'], 'name one or two dimensions to group by');
  else if (Array.isArray(groupBy)) {
    if (groupBy.length === 0 || groupBy.length > 2) invalid(['request', 'groupBy'], `group by one or two dimensions, got ${groupBy.length}`);
    else groupBy.forEach((value: unknown, at) => one(value, ['request', 'groupBy', at]));
  } else one(groupBy, ['request', 'groupBy']);
  if (issues.length > 0) throw issues.error('aggregate');
  return { filterGroups, dimensions, listed: Array.isArray(groupBy), sum: request.sum as string | undefined };
}
