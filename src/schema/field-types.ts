// Which field types each property type may use (HubSpot's pairs; docs/schema.md "Properties"). One table, read by
// the property rules and the catalogue's own test.
import type { FieldType, PropertyType } from '../types.js';

/** The field types each property type accepts, besides `calculation_equation` (any type, read-only). */
export const FIELD_TYPES_BY_TYPE: Readonly<Record<PropertyType, readonly FieldType[]>> = {
  bool: ['booleancheckbox'],
  enumeration: ['select', 'radio', 'checkbox', 'booleancheckbox'],
  date: ['date'],
  datetime: ['date'],
  number: ['number'],
  string: ['text', 'textarea', 'html', 'file', 'phonenumber'],
  phone_number: ['phonenumber'],
};

/** Whether `fieldType` is allowed for `type`. */
export function isValidFieldType(type: PropertyType, fieldType: FieldType): boolean {
  return fieldType === 'calculation_equation' || (FIELD_TYPES_BY_TYPE[type]?.includes(fieldType) ?? false);
}

/** Property names matching this are valid internal names (length is checked separately). */
export const PROPERTY_NAME_PATTERN = /^[a-z][a-z0-9_]*$/;
