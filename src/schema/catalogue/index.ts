// The standard catalogue in one place: every standard object type (ordered by id, as HubSpot
// lists them), the shipped pipelines and the association table. The registry reads only this.
import { commerceObjects } from './commerce.js';
import { foundationalObjects } from './foundational.js';
import { marketingObjects } from './marketing.js';
import { otherObjects } from './other.js';
import { salesObjects } from './sales.js';
import { serviceObjects } from './service.js';
import type { ObjectSpec } from './spec.js';

export type {
  AssociationRule,
  DedupKeySpec,
  ExclusiveParent,
  GroupSpec,
  LabelDocSpec,
  ObjectSpec,
  PairLimit,
  PipelineSpec,
  PropertySpec,
  RequiredAssociation,
} from './spec.js';
export { ACTIVITY_TYPES, ASSOCIATION_RULES, CALCULATED_PROPERTY_SPECS, EXCLUSIVE_PARENTS, REQUIRED_ASSOCIATIONS, calculatedProperties } from './associations.js';
export {
  BUILT_IN_LABELS,
  DEFINED_TYPES,
  LEFT_OUT_TYPES,
  PRIMARY_TYPE_IDS,
  UNLABELLED_TYPE_IDS,
  allocatableTypeId,
  builtInInverseTypeId,
  generatedPrimaryTypeIds,
  generatedTypeId,
  reservedTypeId,
  type DefinedTypeSpec,
} from './association-types.js';
export { SHIPPED_PIPELINES, pipelineOptions, stageOptions } from './pipelines.js';

/** '0-35' → 35: ids sort by their number, not as strings ('0-5' before '0-14'). */
function idNumber(id: string): number {
  return Number(id.slice(id.indexOf('-') + 1));
}

export const STANDARD_OBJECTS: readonly ObjectSpec[] = [
  ...foundationalObjects,
  ...salesObjects,
  ...serviceObjects,
  ...commerceObjects,
  ...marketingObjects,
  ...otherObjects,
].sort((a, b) => idNumber(a.id) - idNumber(b.id));
