// Every bad associations request crmkit/hubspot refuses, sent two ways: raw fetch to the server,
// and a Request handed to hubspotHandler directly. Each answers its status with a JSON envelope,
// and the crm's storage is byte for byte what it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Crm, MemoryStorage } from 'crmkit';
import { createHubSpotServer, hubspotHandler, type HubSpotServer } from 'crmkit/hubspot';
import { testCrm } from '../helpers.js';
import { headersWith, refusedBy, waysOf, type Send } from './harness.js';

const TOKEN = 'secret';

let crm: Crm;
let storage: MemoryStorage;
let server: HubSpotServer;
let handle: (request: Request) => Promise<Response>;
let ann: string;
let acme: string;
let deal: string;
let championTypeId: number;

beforeAll(async () => {
  ({ crm, storage } = await testCrm());
  ann = (await crm.records.create('contacts', { email: 'ann@x.com' })).id;
  const bob = (await crm.records.create('contacts', { email: 'bob@x.com' })).id;
  acme = (await crm.records.create('companies', { name: 'Acme' })).id;
  deal = (await crm.records.create('deals', { dealname: 'D', dealstage: 'appointmentscheduled' })).id;
  championTypeId = (await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion' })).typeId;
  await crm.associations.associate({ objectType: 'deals', id: deal }, { objectType: 'contacts', id: bob }, ['champion']);
  server = await createHubSpotServer(crm, { accessToken: TOKEN });
  handle = hubspotHandler(crm, { accessToken: TOKEN });
});

afterAll(async () => {
  await server.close();
});

const { auth, json } = headersWith(TOKEN);
const ways = waysOf(() => ({ server, handle }));
const refused = (send: Send, path: string, init: RequestInit, status: number): Promise<{ [key: string]: any }> => refusedBy(storage, send, path, init, status);

const put = (body: unknown): RequestInit => ({ method: 'PUT', headers: json, body: JSON.stringify(body) });
const post = (body: unknown): RequestInit => ({ method: 'POST', headers: json, body: JSON.stringify(body) });
const spec = (associationTypeId: number, associationCategory = 'HUBSPOT_DEFINED') => ({ associationCategory, associationTypeId });

describe.each(ways)('bad associations requests, by %s', (_, way) => {
  it('unknown type ids and wrong categories: 400 naming the field', async () => {
    const path = `/crm/v4/objects/contacts/${ann}/associations/companies/${acme}`;
    expect((await refused(way(), path, put([spec(280)]), 400)).message).toContain('body[0].associationTypeId: 280 is not an association type of contacts → companies');
    expect((await refused(way(), path, put([spec(1, 'USER_DEFINED')]), 400)).message).toContain('body[0].associationCategory: type 1 is HUBSPOT_DEFINED');
    expect((await refused(way(), path, put([spec(1, 'NOPE')]), 400)).message).toContain('body[0].associationCategory must be');
    expect((await refused(way(), path, put([{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: '1' }]), 400)).message).toContain('must be an integer');
    expect((await refused(way(), path, put({}), 400)).message).toContain('body must be an array');
    await refused(way(), `/crm/v4/associations/deals/contacts/batch/create`, post({ inputs: [{ from: { id: deal }, to: { id: ann }, types: [spec(279)] }] }), 400);
  });

  it('unknown records: 404; a pair that never associates: 400; an unknown type: 400', async () => {
    await refused(way(), `/crm/v4/objects/contacts/nope/associations/default/companies/${acme}`, { method: 'PUT', headers: auth }, 404);
    await refused(way(), `/crm/v4/objects/contacts/${ann}/associations/companies/nope`, put([spec(279)]), 404);
    await refused(way(), `/crm/v4/objects/contacts/nope/associations/companies`, { headers: auth }, 404);
    expect(await refused(way(), `/crm/v4/objects/products/1/associations/contacts`, { headers: auth }, 400)).toMatchObject({ subCategory: 'ASSOCIATION_NOT_ALLOWED' });
    expect(await refused(way(), `/crm/v4/associations/widgets/contacts/labels`, { headers: auth }, 400)).toMatchObject({ message: 'Unable to infer object type from: widgets' });
    await refused(way(), `/crm/v4/associations/deals/contacts/batch/associate/default`, post({ inputs: [{ from: { id: deal }, to: { id: 'nope' } }] }), 404);
  });

  it('labels: in use 409, taken 409, built-in 400, unknown id in the path 404, bad shapes 400', async () => {
    expect(await refused(way(), `/crm/v4/associations/deals/contacts/labels/${championTypeId}`, { method: 'DELETE', headers: auth }, 409)).toMatchObject({
      category: 'CONFLICT',
      subCategory: 'LABEL_IN_USE',
    });
    await refused(way(), `/crm/associations/v4/deals/contacts/labels`, post({ label: 'Champion', name: 'champion' }), 409);
    await refused(way(), `/crm/v4/associations/contacts/companies/labels/1`, { method: 'DELETE', headers: auth }, 400);
    await refused(way(), `/crm/v4/associations/deals/contacts/labels/123456`, { method: 'DELETE', headers: auth }, 404);
    await refused(way(), `/crm/v4/associations/deals/contacts/labels/abc`, { method: 'DELETE', headers: auth }, 404);
    expect((await refused(way(), `/crm/v4/associations/deals/contacts/labels`, post({ name: 'x' }), 400)).message).toContain('label must be a string');
    expect((await refused(way(), `/crm/v4/associations/deals/contacts/labels`, put({ associationTypeId: 3, label: 'X' }), 400)).message).toContain('3 is not a label');
    await refused(way(), `/crm/v4/associations/deals/contacts/labels`, put({ label: 'X' }), 400);
  });

  it('batch shapes: 400 naming the field; limits 400', async () => {
    const base = '/crm/v4/associations/deals/contacts/batch';
    expect((await refused(way(), `${base}/create`, post({ inputs: [{ from: {}, to: { id: ann }, types: [] }] }), 400)).message).toContain('inputs[0].from.id');
    expect((await refused(way(), `${base}/archive`, post({ inputs: [{ from: { id: deal }, to: { id: ann } }] }), 400)).message).toContain('inputs[0].to must be an array');
    expect((await refused(way(), `${base}/read`, post({ inputs: [{ id: deal, after: 5 }] }), 400)).message).toContain('inputs[0].after');
    expect((await refused(way(), `${base}/labels/archive`, post({ inputs: [{ from: { id: deal }, to: { id: ann }, types: [spec(999)] }] }), 400)).message).toContain('999');
    await refused(way(), `${base}/read`, post({ inputs: Array.from({ length: 101 }, () => ({ id: deal })) }), 400);
    expect((await refused(way(), `/crm/v4/objects/contacts/${ann}/associations/companies?limit=501`, { headers: auth }, 400)).message).toContain('limit');
  });

  it('feedback submissions are read-only through the API: writes 400, reads 200', async () => {
    expect((await refused(way(), '/crm/v3/objects/feedback_submissions', post({ properties: { hs_survey_name: 'NPS' } }), 400)).message).toContain('read-only');
    await refused(way(), '/crm/v3/objects/0-19/batch/create', post({ inputs: [{ properties: { hs_survey_name: 'NPS' } }] }), 400);
    await refused(way(), '/crm/v3/objects/feedback_submissions/1', { method: 'DELETE', headers: auth }, 400);
    expect((await way()('/crm/v3/objects/feedback_submissions', { headers: auth })).status).toBe(200);
  });

  it('a label archive that cannot all happen changes nothing (one transaction)', async () => {
    await refused(
      way(),
      '/crm/v4/associations/deals/contacts/batch/labels/archive',
      post({ inputs: [{ from: { id: deal }, to: { id: ann }, types: [spec(championTypeId, 'USER_DEFINED')] }, { from: { id: 'nope' }, to: { id: ann }, types: [spec(3)] }] }),
      404,
    );
  });
});
