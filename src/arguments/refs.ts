// Records as association calls take them: a record object or `{ objectType, id }`. The facade
// reads the reference's shape and id here; which object type it names (and whether the record
// exists) is the services' to say, since that needs the schema and storage.
import { CrmError, describeValue, validationError } from '../errors.js';
import { checkId } from './ids.js';

/**
 * A record reference after parsing: the object type (a name or id, not yet looked up) and the id.
 *
 * @example
 * const ref: RecordRef = { objectType: 'contacts', id: 'a1' };
 */
export interface RecordRef {
  readonly objectType: string;
  readonly id: string;
}

/**
 * The object type and id a caller's record reference names: VALIDATION_ERROR (INVALID_ARGUMENT
 * naming `argument`) unless it is a record or `{ objectType, id }` with string fields, INVALID_ID
 * for an id that is not one.
 *
 * @example
 * parseRef(contact, 'a');            // { objectType: 'contacts', id: contact.id }
 * parseRef('c1', 'b');               // VALIDATION_ERROR: b must be a record or { objectType, id }, got "c1"
 */
export function parseRef(value: unknown, argument: string): RecordRef {
  const ref = value as { objectType?: unknown; id?: unknown } | null;
  if (typeof ref !== 'object' || ref === null || typeof ref.objectType !== 'string' || typeof ref.id !== 'string') {
    throw validationError([
      { code: 'INVALID_ARGUMENT', property: argument, message: `${argument} must be a record or { objectType, id }, got ${describeValue(value)}` },
    ]);
  }
  checkId(ref.id);
  return { objectType: ref.objectType, id: ref.id };
}

/**
 * The error with the place of the batch item it is about: `details.index`, and the item named
 * at the start of its message (`pairs[3]: …`), so a batch error says which input failed. An
 * error that already names its place is left as it is.
 *
 * @example
 * throw atIndex(error, 3); // "pairs[3]: deals "d1" already holds 1 contacts record…"
 */
export function atIndex(error: unknown, index: number, argument = 'pairs'): unknown {
  if (error instanceof CrmError && error.details.index === undefined) {
    error.details.index = index;
    error.message = `${argument}[${index}]: ${error.message}`;
  }
  return error;
}

/**
 * The label names of an association call (names seen from the first record): `undefined` for
 * none, else an array of strings; otherwise VALIDATION_ERROR (INVALID_ARGUMENT on `labels`).
 * Whether the pair has such labels is the association rules' to say.
 *
 * @example
 * parseLabels(['decision_maker']); // ['decision_maker']
 * parseLabels('decision_maker');   // VALIDATION_ERROR: labels must be an array of label names, got "decision_maker"
 */
export function parseLabels(names: unknown): readonly string[] | undefined {
  if (names === undefined) return undefined;
  if (!Array.isArray(names)) {
    throw validationError([{ code: 'INVALID_ARGUMENT', property: 'labels', message: `labels must be an array of label names, got ${describeValue(names)}` }]);
  }
  checkLabelNames(names);
  return names as string[];
}

/**
 * VALIDATION_ERROR (INVALID_ARGUMENT on `labels`) for the first name that is not a string.
 *
 * @example
 * checkLabelNames(['champion', 3]); // VALIDATION_ERROR: a label name must be a string, got 3
 */
export function checkLabelNames(names: readonly unknown[]): void {
  // A loop over indexes, not for…of: a sparse array's holes are names too (undefined ones).
  for (let at = 0; at < names.length; at++) {
    const name = names[at];
    if (typeof name !== 'string') {
      throw validationError([{ code: 'INVALID_ARGUMENT', property: 'labels', message: `a label name must be a string, got ${describeValue(name)}` }]);
    }
  }
}
