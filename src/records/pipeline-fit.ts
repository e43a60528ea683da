// The rule of a record's place in its pipeline, as pure functions over the object model: on
// every write the stage must be a live stage of the record's live pipeline. A new record naming
// no pipeline gets the type's default; one naming no stage gets the pipeline's first, unless the
// type requires the stage (deals, tickets: checkNewRecord already reported REQUIRED). The
// enumerations' own options (live pipelines, live stages of any of them) are checked by the
// normaliser; this adds what one property alone cannot say: that the two fit together.
import type { IssueList, ValidationIssue } from '../errors.js';
import type { ObjectModel } from '../schema/model.js';
import type { LivePipeline, PipelineSet } from '../schema/pipelines.js';
import type { Properties } from '../types.js';
import type { Changes } from './rules.js';

function prefix(index: number | undefined): string {
  return index === undefined ? '' : `input ${index}: `;
}

/** INVALID_OPTION on the stage property: `stage` is not a live stage of `pipeline`. */
function stageOutsidePipeline(set: PipelineSet, pipeline: LivePipeline, stage: unknown, index: number | undefined): ValidationIssue {
  const { stageProperty, pipelineProperty } = set.kind;
  return {
    code: 'INVALID_OPTION',
    property: stageProperty,
    ...(index === undefined ? {} : { index }),
    allowed: pipeline.ordered.map((option) => option.id),
    message: `${prefix(index)}${stageProperty}: ${JSON.stringify(stage)} is not a stage of ${pipelineProperty} ${JSON.stringify(pipeline.doc.id)} (its stages: ${pipeline.ordered.map((option) => option.id).join(', ')})`,
  };
}

/** Whether the input gave `name` a value that the normaliser refused (its own issue already says so). */
function refused(values: Changes, input: Readonly<Record<string, unknown>>, name: string): boolean {
  return values[name] === undefined && Object.hasOwn(input, name) && input[name] !== undefined && input[name] !== null && input[name] !== '';
}

/**
 * A new record's pipeline and stage: the default pipeline and its first stage filled in where
 * the input named none (the stage only where the type does not require it), and a stage of
 * another pipeline refused.
 *
 * @example
 * fitNewRecord(tickets, values, input, undefined, issues); // values.hs_pipeline === '0' when none was given
 */
export function fitNewRecord(model: ObjectModel, values: Changes, input: Readonly<Record<string, unknown>>, index: number | undefined, issues: IssueList): void {
  const set = model.pipelines;
  if (set === undefined) return;
  const { pipelineProperty, stageProperty } = set.kind;
  if (refused(values, input, pipelineProperty) || refused(values, input, stageProperty)) return;
  let pipelineId = values[pipelineProperty];
  if (pipelineId === undefined || pipelineId === null) {
    const fallback = set.defaultPipeline;
    // A type with no pipeline yet: the stage enumeration has no option, so the normaliser refused any stage.
    if (fallback === undefined) return;
    pipelineId = fallback.doc.id;
    values[pipelineProperty] = pipelineId;
  }
  const pipeline = set.live.get(pipelineId as string)!;
  const stage = values[stageProperty];
  if (stage === undefined || stage === null) {
    if (!model.doc.requiredProperties.includes(stageProperty)) values[stageProperty] = pipeline.ordered[0]!.id;
    return;
  }
  if (!pipeline.stages.has(stage as string)) {
    if (issues.listing) issues.add(stageOutsidePipeline(set, pipeline, stage, index));
    else issues.countOnly();
  }
}

/**
 * A write to an existing record: neither property may be cleared, and the stage after the write
 * must belong to the pipeline after it (so moving to another pipeline names one of its stages).
 *
 * @example
 * fitChangedRecord(deals, current.properties, { pipeline: 'enterprise' }, issues); // INVALID_OPTION on dealstage
 */
export function fitChangedRecord(model: ObjectModel, current: Properties, changes: Changes, issues: IssueList): void {
  const set = model.pipelines;
  if (set === undefined) return;
  const { pipelineProperty, stageProperty } = set.kind;
  const pipelineChanged = Object.hasOwn(changes, pipelineProperty);
  const stageChanged = Object.hasOwn(changes, stageProperty);
  if (!pipelineChanged && !stageChanged) return;
  let cleared = false;
  for (const name of [pipelineProperty, stageProperty]) {
    if (Object.hasOwn(changes, name) && changes[name] === null) {
      cleared = true;
      // A required property's clear is already reported (checkUpdatedRecord).
      if (!model.doc.requiredProperties.includes(name)) issues.add({ code: 'REQUIRED', property: name, message: `${model.name}.${name} cannot be cleared: a record in a pipeline stays in one of its stages` });
    }
  }
  if (cleared) return;
  const pipelineId = (pipelineChanged ? changes[pipelineProperty] : current[pipelineProperty]) as string | undefined;
  const stage = stageChanged ? changes[stageProperty] : current[stageProperty];
  const pipeline = pipelineId === undefined ? set.defaultPipeline : set.live.get(pipelineId);
  // A record that predates the type's pipelines only goes when it names one (every record of a type is taken in with its first pipeline).
  if (pipeline === undefined) return;
  if (pipelineId === undefined) changes[pipelineProperty] = pipeline.doc.id;
  if (stage === undefined || stage === null) {
    changes[stageProperty] = pipeline.ordered[0]!.id;
    return;
  }
  if (!pipeline.stages.has(stage as string)) issues.add(stageOutsidePipeline(set, pipeline, stage, undefined));
}
