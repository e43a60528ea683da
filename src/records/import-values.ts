// How an import reads a spreadsheet cell for a property: the forms people type in spreadsheets
// that the API's own normalisers do not take ("Yes", "1,200", an option's label), turned into
// the value the property takes. Anything else goes through as it is, for the record rules to
// judge (so a bad cell is reported with the property's own code).
import type { PropertyModel } from '../schema/model.js';
import type { PropertyInput } from '../types.js';

const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0']);
/** 1,234 or -1,234,567.89: commas between groups of three digits. */
const GROUPED_NUMBER = /^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/;

/** An option's value for a spreadsheet's spelling of it: the value itself, else the value or label in any case. */
function optionValue(property: PropertyModel, text: string): string {
  const options = property.doc.options ?? [];
  const trimmed = text.trim();
  if (options.some((option) => option.value === trimmed)) return trimmed;
  const lower = trimmed.toLowerCase();
  const match = options.find((option) => option.value.toLowerCase() === lower) ?? options.find((option) => option.label.trim().toLowerCase() === lower);
  return match ? match.value : text;
}

/**
 * The value an import writes for one non-blank cell of a property's column.
 *
 * @example
 * importCell(contacts.property('lifecyclestage')!, 'Marketing Qualified Lead'); // 'marketingqualifiedlead'
 * importCell(deals.property('amount')!, '1,200.50');                           // '1200.50'
 */
export function importCell(property: PropertyModel, cell: string | number | boolean): PropertyInput {
  if (typeof cell !== 'string') return cell;
  switch (property.doc.type) {
    case 'bool': {
      const lower = cell.trim().toLowerCase();
      return YES.has(lower) ? true : NO.has(lower) ? false : cell;
    }
    case 'number': {
      const trimmed = cell.trim();
      return GROUPED_NUMBER.test(trimmed) ? trimmed.replace(/,/g, '') : trimmed;
    }
    case 'enumeration':
      return property.doc.fieldType === 'checkbox'
        ? cell
            .split(';')
            .map((part) => optionValue(property, part))
            .join(';')
        : optionValue(property, cell);
    default:
      return cell;
  }
}
