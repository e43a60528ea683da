// The shapes the standard catalogue is written in. The catalogue is data: one file per
// category describes its object types with these shapes, and the registry turns them into
// object models. Nothing here has behaviour.
import type { FieldType, PropertyOption, PropertyType } from '../../types.js';

/** A default property as the catalogue ships it. */
export interface PropertySpec {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: FieldType;
  options?: readonly PropertyOption[];
  /** The property group (default: the object's first group). */
  groupName?: string;
  description?: string;
  /** Only the engine writes it. */
  readOnly?: boolean;
}

/** A property group as the catalogue ships it. */
export interface GroupSpec {
  name: string;
  label: string;
}

/**
 * A dedup key shared by several properties: contacts' `email` and `hs_additional_emails` are one
 * namespace, so a primary email may not equal another contact's additional email.
 */
export interface DedupKeySpec {
  /** The key's name, and the single-valued property that holds it ('email', 'domain'). */
  property: string;
  /** A property holding several values of the same key, `;`-separated ('hs_additional_emails'). */
  listProperty: string;
  /** How values are normalised before they are compared and stored. */
  format: 'email' | 'domain';
}

/** A standard object type. */
export interface ObjectSpec {
  /** HubSpot's objectTypeId ('0-1'). */
  id: string;
  /** The API name ('contacts'). */
  name: string;
  labels: { singular: string; plural: string };
  /** One or more of foundational, marketing, sales, service, commerce, other. */
  categories: string[];
  /** Activities: notes, calls, emails, meetings, tasks, communications, postal mail. */
  activity?: boolean;
  requiresActivation?: boolean;
  primaryDisplayProperty: string;
  /** Properties every record must have. */
  requiredProperties: string[];
  /** At least one of these must have a value. */
  requireOneOf?: string[];
  searchableProperties?: string[];
  /** The email or domain key (contacts, companies); every object is also unique by id. */
  dedupKey?: DedupKeySpec;
  /** The name of the last-modified system property (contacts: 'lastmodifieddate'; default 'hs_lastmodifieddate'). */
  modifiedDateProperty?: string;
  /** Values given to a new record that names none (e.g. a deal's pipeline). */
  defaults?: Record<string, string>;
  /** The first group is the default group for new properties. */
  groups: GroupSpec[];
  /** Default properties, without the system properties (hs_object_id, createdate, ...), which the registry adds. */
  properties: PropertySpec[];
}

/** How many records one record may hold under a pair (HubSpot: "one", "many" or a number). */
export type PairLimit = 'one' | 'many' | number;

/**
 * One row of the association table: records of `from` and `to` may associate (always in both
 * directions; a row is never repeated the other way round). `limit` caps how many `to` records
 * one `from` record may hold, `inverseLimit` how many `from` records one `to` record may hold
 * (default 'many').
 */
export interface AssociationRule {
  from: string;
  to: string;
  limit?: PairLimit;
  inverseLimit?: PairLimit;
}

/**
 * A record of `objectType` must be associated with at least one record of one of `anyOf`
 * (a quote with a deal; a lead with a contact or a company), checked when the call or
 * transaction ends.
 */
export interface RequiredAssociation {
  objectType: string;
  anyOf: string[];
}

/**
 * A record of `objectType` may have at most one parent among `parents`, all types together
 * (a line item belongs to exactly one deal, quote, invoice, subscription, order or cart).
 */
export interface ExclusiveParent {
  objectType: string;
  parents: string[];
}

/** A shipped pipeline (deals 'default', tickets '0', leads). */
export interface PipelineSpec {
  objectType: string;
  id: string;
  label: string;
  /** The property holding the pipeline id and the one holding the stage id. */
  pipelineProperty: string;
  stageProperty: string;
  stages: Array<{
    id: string;
    label: string;
    /** Deals: 0.0–1.0. */
    probability?: number;
    /** Tickets: OPEN or CLOSED. */
    ticketState?: 'OPEN' | 'CLOSED';
    isClosed: boolean;
  }>;
}

/** A built-in association label as the catalogue ships it (the stored LabelDoc's shape). */
export interface LabelDocSpec {
  readonly from: string;
  readonly to: string;
  readonly name: string;
  readonly label: string;
  readonly inverseName?: string;
  readonly inverseLabel?: string;
  readonly limit: 'many' | number;
  readonly inverseLimit: 'many' | number;
  readonly typeId: number;
  readonly inverseTypeId: number;
}
