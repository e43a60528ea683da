// The pipelines crmkit ships (deals, tickets, leads). Stages are written here once; the pipeline
// and stage enumerations of those objects take their options from this data.
import type { PropertyOption } from '../../types.js';
import type { PipelineSpec } from './spec.js';

export const SHIPPED_PIPELINES: readonly PipelineSpec[] = [
  {
    objectType: 'deals',
    id: 'default',
    label: 'Sales Pipeline',
    pipelineProperty: 'pipeline',
    stageProperty: 'dealstage',
    stages: [
      { id: 'appointmentscheduled', label: 'Appointment scheduled', probability: 0.2, isClosed: false },
      { id: 'qualifiedtobuy', label: 'Qualified to buy', probability: 0.4, isClosed: false },
      { id: 'presentationscheduled', label: 'Presentation scheduled', probability: 0.6, isClosed: false },
      { id: 'decisionmakerboughtin', label: 'Decision maker bought-in', probability: 0.8, isClosed: false },
      { id: 'contractsent', label: 'Contract sent', probability: 0.9, isClosed: false },
      { id: 'closedwon', label: 'Closed won', probability: 1.0, isClosed: true },
      { id: 'closedlost', label: 'Closed lost', probability: 0.0, isClosed: true },
    ],
  },
  {
    objectType: 'tickets',
    id: '0',
    label: 'Support Pipeline',
    pipelineProperty: 'hs_pipeline',
    stageProperty: 'hs_pipeline_stage',
    stages: [
      { id: '1', label: 'New', ticketState: 'OPEN', isClosed: false },
      { id: '2', label: 'Waiting on contact', ticketState: 'OPEN', isClosed: false },
      { id: '3', label: 'Waiting on us', ticketState: 'OPEN', isClosed: false },
      { id: '4', label: 'Closed', ticketState: 'CLOSED', isClosed: true },
    ],
  },
  // HubSpot does not document fixed ids for the leads pipeline; these ids are crmkit's choice
  // (they follow the names HubSpot accounts commonly show, so API-shaped fixtures read naturally).
  {
    objectType: 'leads',
    id: 'lead-pipeline-id',
    label: 'Lead pipeline',
    pipelineProperty: 'hs_pipeline',
    stageProperty: 'hs_pipeline_stage',
    stages: [
      { id: 'new-stage-id', label: 'New', isClosed: false },
      { id: 'attempting-stage-id', label: 'Attempting', isClosed: false },
      { id: 'connected-stage-id', label: 'Connected', isClosed: false },
      { id: 'qualified-stage-id', label: 'Qualified', isClosed: true },
      { id: 'unqualified-stage-id', label: 'Disqualified', isClosed: true },
    ],
  },
];

function pipelinesOf(objectType: string): PipelineSpec[] {
  const found = SHIPPED_PIPELINES.filter((p) => p.objectType === objectType);
  // Failing at load time beats shipping an enumeration with no options because of a typo.
  if (found.length === 0) throw new Error(`crmkit catalogue: no shipped pipeline for '${objectType}'`);
  return found;
}

/** The options of an object's pipeline property: one per shipped pipeline (value = pipeline id). */
export function pipelineOptions(objectType: string): PropertyOption[] {
  return pipelinesOf(objectType).map((p) => ({ label: p.label, value: p.id }));
}

/** The options of an object's stage property: every stage of its shipped pipelines, in order. */
export function stageOptions(objectType: string): PropertyOption[] {
  return pipelinesOf(objectType).flatMap((p) => p.stages.map((s) => ({ label: s.label, value: s.id })));
}
