// Filters as a search request writes them (HubSpot's shape), checked against the schema and
// turned into a plan's predicates (storage/plan.ts): each property with its value type, each
// value in the form records store it, each operator as the predicate that means it for that
// type. A problem is a VALIDATION_ERROR issue naming the filter by its place
// (`filterGroups.0.filters.2`), and every problem of a request is reported at once.
import { IssueList, describeValue, type IssuePath } from '../errors.js';
import { nearest } from '../arguments/options.js';
import type { ObjectModel } from '../schema/model.js';
import { planProperty, storedFolded } from '../schema/indexes.js';
import type { SchemaState } from '../schema/model.js';
import { unknownPropertyIssue } from '../schema/lookup.js';
import { normaliserFor, Invalid } from '../schema/values.js';
import { foldCase } from '../storage/evaluate.js';
import type { PlanProperty, PlanValue, Predicate } from '../storage/plan.js';
import type { AssociationFilter, Filter, FilterGroup, FilterValue, PropertyFilter, SegmentFilter } from '../types.js';
import { parseDuration, shiftTime } from './relative-time.js';

/**
 * What a search may follow from `from` records to `to` records: the label names seen from
 * `from` (the built-in `primary` among them where the pair has it), or `undefined` when the two
 * types never associate. The association layer answers it (src/crm.ts wires it), so the query
 * layer needs no service.
 *
 * @example
 * const pairs: PairLookup = (from, to) => (from === 'contacts' && to === 'companies' ? new Set(['primary']) : undefined);
 */
export type PairLookup = (from: string, to: string) => ReadonlySet<string> | undefined;

/**
 * What turning filters into predicates needs besides the filters.
 *
 * @example
 * const planning: Planning = { schema: ctx.schema, now: () => new Date(ctx.now()), pairs, issues: new IssueList() };
 */
export interface Planning {
  readonly schema: SchemaState;
  /** The call's clock reading (relative times are read from it). */
  readonly now: () => Date;
  readonly pairs: PairLookup;
  /** Where every problem goes; the caller throws them together. */
  readonly issues: IssueList;
  /**
   * The active segments whose filters are being expanded (or saved) around this one, outermost
   * first: a filter naming one of them would make a segment contain itself.
   */
  readonly within?: readonly string[];
}

/**
 * The live property a request names, or an issue (PROPERTY_DOESNT_EXIST, with the nearest live
 * name) and `undefined`.
 *
 * @example
 * propertyNamed(planning, contacts, 'emial', ['sorts', 0]); // undefined; issue suggests 'email'
 */
export function propertyNamed(planning: Planning, model: ObjectModel, name: string, path: IssuePath): PlanProperty | undefined {
  const property = model.property(name);
  if (property && !property.doc.archived) return planProperty(model, property);
  planning.issues.add(unknownPropertyIssue(model, name, path));
  return undefined;
}

/**
 * The predicate of a request's filter groups (OR of ANDs); `undefined` for none (every live
 * record), and for an empty list of groups too.
 *
 * @example
 * groupsPredicate(planning, deals, [{ filters: [{ propertyName: 'amount', operator: 'GT', value: 0 }] }], ['filterGroups']);
 */
export function groupsPredicate(planning: Planning, model: ObjectModel, groups: readonly FilterGroup[] | undefined, path: IssuePath): Predicate | undefined {
  if (groups === undefined || groups.length === 0) return undefined;
  const alternatives = groups.map((group, at) => groupPredicate(planning, model, group.filters, [...path, at, 'filters']));
  return alternatives.length === 1 ? alternatives[0]! : { kind: 'or', of: alternatives };
}

function groupPredicate(planning: Planning, model: ObjectModel, filters: readonly Filter[], path: IssuePath): Predicate {
  const parts: Predicate[] = [];
  filters.forEach((filter, at) => {
    const part = filterPredicate(planning, model, filter, [...path, at]);
    if (part) parts.push(part);
  });
  // Cheap tests first: a record failing a comparison is never tokenised or followed to its
  // associations. The order changes no answer (and SQL databases choose their own).
  parts.sort((a, b) => cost(a) - cost(b));
  return parts.length === 1 ? parts[0]! : { kind: 'and', of: parts };
}

/** A rough cost of testing one record against a predicate. */
function cost(predicate: Predicate): number {
  switch (predicate.kind) {
    case 'present':
    case 'compare':
    case 'in':
      return 0;
    case 'not':
      return cost(predicate.of);
    case 'tokens':
      return 1;
    case 'and':
    case 'or':
      return predicate.of.reduce((total, part) => total + cost(part), 0);
    case 'association':
      return 10;
    case 'member':
      return 1;
  }
}

function filterPredicate(planning: Planning, model: ObjectModel, filter: Filter, path: IssuePath): Predicate | undefined {
  if ('association' in filter) return associationPredicate(planning, model, filter, path);
  if ('segment' in filter) return segmentPredicate(planning, model, filter, path);
  return propertyPredicate(planning, model, filter, path);
}

/**
 * "In segment X": a static segment's list, or an active segment's own filter planned in place
 * (with the clock of this call, so relative times stay current), which SQL storage then runs as
 * one statement. The segment must hold records of the filter's type and must not contain itself.
 */
function segmentPredicate(planning: Planning, model: ObjectModel, filter: SegmentFilter, path: IssuePath): Predicate | undefined {
  const { id } = filter.segment;
  const at = [...path, 'segment', 'id'];
  const doc = planning.schema.segment(id);
  if (doc === undefined) {
    planning.issues.add({ code: 'UNKNOWN_SEGMENT', path: at, segmentId: id, message: `${at.join('.')}: there is no segment ${describeValue(id)}` });
    return undefined;
  }
  if (doc.objectType !== model.name) {
    planning.issues.add({ code: 'INVALID_ARGUMENT', path: at, message: `${at.join('.')}: segment ${id} holds ${doc.objectType} records, and this filter is on ${model.name}` });
    return undefined;
  }
  if (doc.kind === 'static') return { kind: 'member', list: doc.id };
  const within = planning.within ?? [];
  if (within.includes(doc.id)) {
    const cycle = [...within.slice(within.indexOf(doc.id)), doc.id];
    planning.issues.add({ code: 'SEGMENT_CYCLE', path: at, cycle, message: `${at.join('.')}: segment ${cycle.join(' → ')} would contain itself` });
    return undefined;
  }
  const inner: Planning = { ...planning, within: [...within, doc.id] };
  const where = groupsPredicate(inner, model, doc.filter?.filterGroups, [...path, 'segment', 'filter', 'filterGroups']);
  // No filter groups: every live record of the type.
  return where ?? { kind: 'and', of: [] };
}

function associationPredicate(planning: Planning, model: ObjectModel, filter: AssociationFilter, path: IssuePath): Predicate | undefined {
  const { toType, id, primary, label, match, filters } = filter.association;
  const at = [...path, 'association'];
  const other = planning.schema.find(toType);
  if (!other) {
    planning.issues.add({ code: 'INVALID_ARGUMENT', path: [...at, 'toType'], message: `${at.join('.')}.toType: no object type ${describeValue(toType)}` });
    return undefined;
  }
  const labels = planning.pairs(model.name, other.name);
  if (labels === undefined) {
    planning.issues.add({ code: 'INVALID_ARGUMENT', path: [...at, 'toType'], message: `${at.join('.')}.toType: ${model.name} and ${other.name} never associate` });
    return undefined;
  }
  if (primary === true && label !== undefined) {
    planning.issues.add({ code: 'INVALID_ARGUMENT', path: at, message: `${at.join('.')}: give primary or label, not both (label: ['primary', …] means "primary or one of these")` });
    return undefined;
  }
  let names: string[] | undefined;
  if (primary === true) names = ['primary'];
  else if (label !== undefined) names = typeof label === 'string' ? [label] : [...label];
  for (const name of names ?? []) {
    if (labels.has(name)) continue;
    const suggestion = nearest(name, [...labels]);
    planning.issues.add({
      code: 'INVALID_LABEL',
      path: [...at, primary === true ? 'primary' : 'label'],
      message: `${at.join('.')}: ${model.name} → ${other.name} has no label ${describeValue(name)}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
    });
    return undefined;
  }
  if (names !== undefined && names.length === 0) {
    planning.issues.add({ code: 'INVALID_ARGUMENT', path: [...at, 'label'], message: `${at.join('.')}.label: name at least one label` });
    return undefined;
  }
  const where = filters === undefined || filters.length === 0 ? undefined : groupPredicate(planning, other, filters, [...at, 'filters']);
  return {
    kind: 'association',
    toType: other.name,
    match: match ?? 'any',
    ...(names !== undefined ? { labels: names } : {}),
    ...(id !== undefined ? { id } : {}),
    ...(where !== undefined ? { where } : {}),
  };
}

/** Operators that compare order: they need an ordered type. */
const RANGE = new Set(['LT', 'LTE', 'GT', 'GTE', 'BETWEEN']);
const TOKENS = new Set(['CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN']);

function propertyPredicate(planning: Planning, model: ObjectModel, filter: PropertyFilter, path: IssuePath): Predicate | undefined {
  const property = propertyNamed(planning, model, filter.propertyName, [...path, 'propertyName']);
  if (!property) return undefined;
  const { operator } = filter;
  const where = path.join('.');
  const refuse = (message: string, at: IssuePath = [...path, 'operator']): undefined => {
    planning.issues.add({ code: 'INVALID_ARGUMENT', property: property.name, path: at, message: `${where}: ${message}` });
    return undefined;
  };
  // What an operator applies to is the schema's type; the plan's type says how storage compares.
  const schemaType = model.property(property.name)!.doc.type;
  if (RANGE.has(operator) && (schemaType === 'bool' || schemaType === 'enumeration')) {
    return refuse(`${operator} does not apply to ${property.name}, ${schemaType === 'bool' ? 'a boolean' : 'an enumeration'} property (use EQ or IN)`);
  }
  if (TOKENS.has(operator) && schemaType !== 'string' && schemaType !== 'phone_number') {
    return refuse(`${operator} applies to text properties; ${property.name} is a ${schemaType} property`);
  }
  const expects = (field: 'value' | 'values' | 'highValue'): boolean => {
    const fields = operator === 'BETWEEN' ? ['value', 'highValue'] : operator === 'IN' || operator === 'NOT_IN' ? ['values'] : operator.endsWith('HAS_PROPERTY') ? [] : ['value'];
    return fields.includes(field);
  };
  for (const field of ['value', 'values', 'highValue'] as const) {
    const given = filter[field] !== undefined;
    if (given !== expects(field)) {
      return refuse(given ? `${operator} takes no ${field}` : `${operator} needs ${field === 'values' ? 'values (a non-empty array)' : field}`, [...path, field]);
    }
  }
  const folds = property.type === 'string' || storedFolded(model, property.name);
  const read = (input: FilterValue, at: IssuePath): PlanValue | undefined => filterValue(planning, property, folds, input, at);
  switch (operator) {
    case 'HAS_PROPERTY':
      return { kind: 'present', property };
    case 'NOT_HAS_PROPERTY':
      return { kind: 'not', of: { kind: 'present', property } };
    case 'IN':
    case 'NOT_IN': {
      const inputs = filter.values!;
      if (inputs.length === 0) return refuse(`${operator} needs values (a non-empty array)`, [...path, 'values']);
      const values: PlanValue[] = [];
      inputs.forEach((input, at) => {
        const value = read(input, [...path, 'values', at]);
        if (value !== undefined) values.push(value);
      });
      if (values.length < inputs.length) return undefined;
      const predicate: Predicate = { kind: 'in', property, values };
      return operator === 'IN' ? predicate : { kind: 'not', of: predicate };
    }
    case 'CONTAINS_TOKEN':
    case 'NOT_CONTAINS_TOKEN': {
      const input = filter.value!;
      if (typeof input === 'object' || foldCase(String(input)).trim() === '') return refuse(`${operator} needs a word to look for, got ${describeValue(input)}`, [...path, 'value']);
      const predicate: Predicate = { kind: 'tokens', property, pattern: foldCase(String(input)).trim() };
      return operator === 'CONTAINS_TOKEN' ? predicate : { kind: 'not', of: predicate };
    }
    case 'BETWEEN': {
      const low = read(filter.value!, [...path, 'value']);
      const high = read(filter.highValue!, [...path, 'highValue']);
      if (low === undefined || high === undefined) return undefined;
      return {
        kind: 'and',
        of: [
          { kind: 'compare', property, op: 'gte', value: low },
          { kind: 'compare', property, op: 'lte', value: high },
        ],
      };
    }
    default: {
      const value = read(filter.value!, [...path, 'value']);
      if (value === undefined) return undefined;
      if (operator === 'NEQ') return { kind: 'not', of: { kind: 'compare', property, op: 'eq', value } };
      return { kind: 'compare', property, op: OPS[operator as keyof typeof OPS], value };
    }
  }
}

const OPS = { EQ: 'eq', LT: 'lt', LTE: 'lte', GT: 'gt', GTE: 'gte' } as const;

const DATE = normaliserFor({ type: 'date' });
const DATETIME = normaliserFor({ type: 'datetime' });
const NUMBER = normaliserFor({ type: 'number' });
const BOOLEAN = normaliserFor({ type: 'bool' });

/**
 * A filter value in the stored form of the property's type, or an issue and `undefined`:
 * numbers from numbers or numeric text, booleans from `true`/`false` (or their text), dates
 * from 'YYYY-MM-DD', epoch milliseconds or a relative time (its UTC day), datetimes from ISO
 * text, epoch milliseconds or a relative time; text folded for case-insensitive properties.
 */
function filterValue(planning: Planning, property: PlanProperty, folds: boolean, input: FilterValue, path: IssuePath): PlanValue | undefined {
  const where = path.join('.');
  const issue = (code: 'INVALID_DATE' | 'INVALID_NUMBER' | 'INVALID_BOOLEAN' | 'INVALID_ARGUMENT', message: string): undefined => {
    planning.issues.add({ code, property: property.name, path, message: `${where}: ${message}` });
    return undefined;
  };
  if (typeof input === 'object') {
    if (property.type !== 'date' && property.type !== 'datetime') return issue('INVALID_ARGUMENT', `a relative time applies to date and datetime properties; ${property.name} is a ${property.type} property`);
    const duration = parseDuration(input.relative);
    if (!duration) return issue('INVALID_DATE', `${describeValue(input.relative)} is not a signed ISO-8601 duration (such as '-P90D' or 'PT12H')`);
    const time = shiftTime(planning.now(), duration);
    if (!time) return issue('INVALID_DATE', `${describeValue(input.relative)} from now is outside the years 0001–9999`);
    return property.type === 'date' ? time.toISOString().slice(0, 10) : time.toISOString();
  }
  let normalised: unknown;
  switch (property.type) {
    case 'string':
    case 'enumeration':
      return folds ? foldCase(String(input)) : String(input);
    case 'number':
      normalised = NUMBER(input);
      break;
    case 'bool':
      normalised = BOOLEAN(input);
      break;
    case 'date':
      normalised = DATE(input);
      break;
    case 'datetime':
      normalised = DATETIME(input);
      break;
  }
  if (normalised instanceof Invalid) return issue(normalised.code as 'INVALID_DATE', normalised.message);
  if (normalised === null) return issue('INVALID_ARGUMENT', `${describeValue(input)} is no ${property.type} value`);
  return normalised as PlanValue;
}
