import { createServer, type Server } from 'node:http';
import { z } from 'zod';
import type { Simulator } from './simulator';
import { HttpError, readJson, sendJson } from '../http/respond';

const swipeBody = z.object({ readerId: z.string().min(1).max(64), card: z.string().min(1).max(256) });
const intrudeBody = z.object({ quietMs: z.number().int().min(0).max(3_600_000) });
const crowdBody = z.object({ people: z.number().int().min(1).max(10_000) });
const checkinBody = z.union([z.object({ bookingId: z.string().uuid() }), z.object({ card: z.string().min(1).max(256) })]);
const flapBody = z.object({ times: z.number().int().min(1).max(50).default(6) }).nullable();

async function bodyOf<T extends z.ZodTypeAny>(req: Parameters<typeof readJson>[0], schema: T, shape: string): Promise<z.infer<T>> {
  const body = schema.safeParse(await readJson(req));
  if (!body.success) throw new HttpError(400, `body must be ${shape}`);
  return body.data as z.infer<T>;
}

type Action = (sim: Simulator, arg: string, req: Parameters<typeof readJson>[0]) => Promise<unknown> | unknown;

/** POST routes of the control interface; `{id}` is the last path segment. */
const ACTIONS: Array<[RegExp, Action]> = [
  [/^\/fire$/, (sim) => (sim.fire(true), { fire: true })],
  [/^\/fire\/clear$/, (sim) => (sim.fire(false), { fire: false })],
  [/^\/force\/([^/]+)$/, async (sim, id) => (await sim.force(id), { forced: id })],
  [/^\/hold\/([^/]+)$/, (sim, id) => (sim.hold(id), { held: id })],
  [/^\/close\/([^/]+)$/, (sim, id) => (sim.close(id), { closed: id })],
  [/^\/offline\/([^/]+)$/, (sim, id) => (sim.offline(id), { offline: id })],
  [/^\/online\/([^/]+)$/, async (sim, id) => (await sim.online(id), { online: id })],
  [/^\/intrude\/([^/]+)$/, async (sim, id, req) => (await sim.staging.intrude(id, (await bodyOf(req, intrudeBody, '{quietMs}')).quietMs), { intruded: id })],
  [/^\/tailgate\/([^/]+)$/, async (sim, id) => (await sim.staging.tailgate(id), { tailgated: id })],
  [/^\/crowd\/([^/]+)$/, async (sim, id, req) => (sim.staging.crowd(id, (await bodyOf(req, crowdBody, '{people}')).people), { crowded: id })],
  [/^\/stuffy\/([^/]+)$/, (sim, id) => (sim.staging.stuffy(id), { stuffy: id })],
  [/^\/hvac-empty\/([^/]+)$/, async (sim, id) => (await sim.staging.hvacEmpty(id), { emptied: id })],
  [/^\/flap\/([^/]+)$/, async (sim, id, req) => (await sim.staging.flap(id, (await bodyOf(req, flapBody, '{times?}'))?.times ?? 6), { flapped: id })],
  [/^\/ota-fail\/([^/]+)$/, (sim, id) => (sim.device(id), sim.firmware.failNext(id), { otaFails: id })],
  [/^\/checkin\/([^/]+)$/, async (sim, id, req) => ({ eventId: sim.checkin(id, await bodyOf(req, checkinBody, '{bookingId} or {card}')) })],
  [/^\/calm$/, async (sim) => (await sim.staging.calm(), { calm: true })],
  [
    /^\/swipe$/,
    async (sim, _id, req) => {
      const body = swipeBody.safeParse(await readJson(req));
      if (!body.success) throw new HttpError(400, 'body must be {readerId, card}');
      const answer = await sim.swipe(body.data.readerId, body.data.card);
      return answer ?? { granted: false, reason: 'no answer from the edge' };
    },
  ],
];

/**
 * A small local HTTP interface so tests and demos can make the simulated site raise a fire alarm,
 * force or hold a door, take a device offline, swipe a card, check a booking in at a kiosk, or stage an
 * anomaly (staging.ts).
 * Listens on 127.0.0.1 only.
 */
export async function startControl(sim: Simulator, port: number): Promise<{ server: Server; port: number }> {
  const server = createServer({ noDelay: true }, (req, res) => {
    const path = new URL(req.url ?? '/', 'http://sim').pathname;
    const run = async (): Promise<unknown> => {
      if (req.method === 'GET' && path === '/devices') return sim.snapshot();
      if (req.method !== 'POST') throw new HttpError(404, 'not found');
      for (const [pattern, action] of ACTIONS) {
        const m = pattern.exec(path);
        if (m) return action(sim, decodeURIComponent(m[1] ?? ''), req);
      }
      throw new HttpError(404, 'not found');
    };
    run().then(
      (body) => sendJson(res, 200, body),
      (err: unknown) => sendJson(res, err instanceof HttpError ? err.status : 400, { error: (err as Error).message }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, port: (server.address() as { port: number }).port };
}
