// HubSpot's pipelines API (`/crm/v3/pipelines/{type}` and its stages) as crm.pipelines calls.
// A replace (PUT) is several crm calls in one transaction, so it lands whole or not at all.
import { CrmError, type Crm, type ObjectTypeDefinition, type Pipeline, type PipelineStage } from 'crmkit';
import { Hono, type Context } from 'hono';
import { readJsonBody } from './body.js';
import { jsonResponse } from './errors.js';
import { objectTypeOf, type Facade } from './objects.js';
import { patchOf, pipelineInputOf, planStageReplace, stageInputOf, toWirePipeline, toWireStage } from './pipelines-wire.js';

/**
 * The live pipeline, else UNKNOWN_PIPELINE (a 404).
 *
 * @example
 * const pipeline = await livePipeline(crm, 'deals', 'default');
 */
export async function livePipeline(crm: Pick<Crm, 'pipelines'>, type: string, pipelineId: string): Promise<Pipeline> {
  const pipeline = await crm.pipelines.get(type, pipelineId);
  if (!pipeline) throw new CrmError('UNKNOWN_PIPELINE', `${type} has no live pipeline ${JSON.stringify(pipelineId)}`, { objectType: type, pipelineId });
  return pipeline;
}

/**
 * The live stage, else UNKNOWN_STAGE (a 404); an unknown pipeline is UNKNOWN_PIPELINE.
 *
 * @example
 * const stage = await liveStage(crm, 'deals', 'default', 'closedwon');
 */
export async function liveStage(crm: Pick<Crm, 'pipelines'>, type: string, pipelineId: string, stageId: string): Promise<PipelineStage> {
  await livePipeline(crm, type, pipelineId);
  const stage = await crm.pipelines.getStage(type, pipelineId, stageId);
  if (!stage) throw new CrmError('UNKNOWN_STAGE', `${type} pipeline ${JSON.stringify(pipelineId)} has no live stage ${JSON.stringify(stageId)}`, { objectType: type, pipelineId, stageId });
  return stage;
}

/** An archived pipeline as the crm lists it (`get` answers only live ones). */
async function archivedPipeline(crm: Pick<Crm, 'pipelines'>, type: string, pipelineId: string): Promise<Pipeline | undefined> {
  return (await crm.pipelines.list(type, { archived: true })).find((pipeline) => pipeline.id === pipelineId);
}

/**
 * The pipelines routes, relative to `/crm/v3/pipelines`: pipelines (list, create, read,
 * replace, update, archive) and their stages (likewise).
 *
 * @example
 * app.route('/crm/v3/pipelines', pipelineRoutes(facade));
 */
export function pipelineRoutes(facade: Facade): Hono {
  const { crm, portalId, maxBodyBytes } = facade;
  const routes = new Hono();
  const typeOf = (c: Context): ObjectTypeDefinition => objectTypeOf(crm, c.req.param('objectType') ?? '', portalId);
  const body = async (c: Context): Promise<unknown> => readJsonBody(c.req.raw, maxBodyBytes);
  const noContent = (): Response => new Response(null, { status: 204 });

  routes.get('/:objectType', async (c) => {
    const type = typeOf(c);
    return jsonResponse(200, { results: (await crm.pipelines.list(type.name)).map(toWirePipeline) });
  });

  routes.post('/:objectType', async (c) => {
    const type = typeOf(c);
    const input = pipelineInputOf(await body(c));
    return jsonResponse(201, toWirePipeline(await crm.pipelines.create(type.name, input)));
  });

  routes.get('/:objectType/:pipelineId', async (c) => {
    const type = typeOf(c);
    return jsonResponse(200, toWirePipeline(await livePipeline(crm, type.name, c.req.param('pipelineId'))));
  });

  routes.put('/:objectType/:pipelineId', async (c) => {
    const type = typeOf(c);
    const pipelineId = c.req.param('pipelineId');
    const input = pipelineInputOf(await body(c));
    if (input.id !== undefined && input.id !== pipelineId) {
      throw new CrmError('IMMUTABLE', `A pipeline's id never changes (${JSON.stringify(pipelineId)}, got ${JSON.stringify(input.id)})`, { objectType: type.name, field: 'id' });
    }
    const replaced = await crm.transaction(async (tx) => {
      const current = await livePipeline(tx, type.name, pipelineId);
      const plan = planStageReplace(current.stages, input.stages);
      await tx.pipelines.update(type.name, pipelineId, { label: input.label, ...(input.displayOrder !== undefined ? { displayOrder: input.displayOrder } : {}) });
      // New stages first and archived ones last: the pipeline always keeps a live stage.
      for (const stage of plan.create) await tx.pipelines.createStage(type.name, pipelineId, stage);
      for (const { id, input: stage } of plan.update) {
        await tx.pipelines.updateStage(type.name, pipelineId, id, {
          label: stage.label,
          ...(stage.displayOrder !== undefined ? { displayOrder: stage.displayOrder } : {}),
          ...(stage.metadata !== undefined ? { metadata: stage.metadata } : {}),
        });
      }
      for (const id of plan.archive) await tx.pipelines.archiveStage(type.name, pipelineId, id);
      return (await tx.pipelines.get(type.name, pipelineId))!;
    });
    return jsonResponse(200, toWirePipeline(replaced));
  });

  routes.patch('/:objectType/:pipelineId', async (c) => {
    const type = typeOf(c);
    const pipelineId = c.req.param('pipelineId');
    const { patch, archive } = patchOf(await body(c), false);
    await livePipeline(crm, type.name, pipelineId);
    const answer = await crm.transaction(async (tx) => {
      const updated = await tx.pipelines.update(type.name, pipelineId, patch);
      if (!archive) return updated;
      await tx.pipelines.archive(type.name, pipelineId);
      return (await archivedPipeline(tx, type.name, pipelineId))!;
    });
    return jsonResponse(200, toWirePipeline(answer));
  });

  routes.delete('/:objectType/:pipelineId', async (c) => {
    const type = typeOf(c);
    await livePipeline(crm, type.name, c.req.param('pipelineId'));
    // The crm refuses (PIPELINE_IN_USE) while any record is in it: HubSpot's validateReferencesBeforeDelete, always on.
    await crm.pipelines.archive(type.name, c.req.param('pipelineId'));
    return noContent();
  });

  routes.get('/:objectType/:pipelineId/stages', async (c) => {
    const type = typeOf(c);
    return jsonResponse(200, { results: (await livePipeline(crm, type.name, c.req.param('pipelineId'))).stages.map(toWireStage) });
  });

  routes.post('/:objectType/:pipelineId/stages', async (c) => {
    const type = typeOf(c);
    const input = stageInputOf(await body(c), 'body');
    await livePipeline(crm, type.name, c.req.param('pipelineId'));
    return jsonResponse(201, toWireStage(await crm.pipelines.createStage(type.name, c.req.param('pipelineId'), input)));
  });

  routes.get('/:objectType/:pipelineId/stages/:stageId', async (c) => {
    const type = typeOf(c);
    return jsonResponse(200, toWireStage(await liveStage(crm, type.name, c.req.param('pipelineId'), c.req.param('stageId'))));
  });

  routes.put('/:objectType/:pipelineId/stages/:stageId', async (c) => {
    const type = typeOf(c);
    const { pipelineId, stageId } = { pipelineId: c.req.param('pipelineId'), stageId: c.req.param('stageId') };
    const input = stageInputOf(await body(c), 'body');
    await liveStage(crm, type.name, pipelineId, stageId);
    if (input.id !== undefined && input.id !== stageId) {
      throw new CrmError('IMMUTABLE', `A stage's id never changes (${JSON.stringify(stageId)}, got ${JSON.stringify(input.id)})`, { objectType: type.name, field: 'id' });
    }
    const { id: _id, ...patch } = input;
    return jsonResponse(200, toWireStage(await crm.pipelines.updateStage(type.name, pipelineId, stageId, patch)));
  });

  routes.patch('/:objectType/:pipelineId/stages/:stageId', async (c) => {
    const type = typeOf(c);
    const { pipelineId, stageId } = { pipelineId: c.req.param('pipelineId'), stageId: c.req.param('stageId') };
    const { patch, archive } = patchOf(await body(c), true);
    await liveStage(crm, type.name, pipelineId, stageId);
    const answer = await crm.transaction(async (tx) => {
      const updated = await tx.pipelines.updateStage(type.name, pipelineId, stageId, patch);
      if (!archive) return updated;
      await tx.pipelines.archiveStage(type.name, pipelineId, stageId);
      return { ...updated, archived: true };
    });
    return jsonResponse(200, toWireStage(answer));
  });

  routes.delete('/:objectType/:pipelineId/stages/:stageId', async (c) => {
    const type = typeOf(c);
    await liveStage(crm, type.name, c.req.param('pipelineId'), c.req.param('stageId'));
    await crm.pipelines.archiveStage(type.name, c.req.param('pipelineId'), c.req.param('stageId'));
    return noContent();
  });

  return routes;
}
