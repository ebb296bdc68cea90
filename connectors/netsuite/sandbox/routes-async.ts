import type { FastifyInstance } from 'fastify';
import { jobBody, taskBody, taskListBody } from './async-jobs.js';
import { nonexistentId, sendError } from './errors.js';
import { originOf, type SandboxState } from './state.js';

/** `/services/rest/async/v1/job/{id}[/task[/{taskId}[/result]]]`: status and result of async requests. */
export function registerAsyncRoutes(app: FastifyInstance, state: SandboxState): void {
  const json = 'application/vnd.oracle.resource+json; type=singular';

  app.get<{ Params: { id: string } }>('/services/rest/async/v1/job/:id', async (request, reply) => {
    const job = state.jobs.get(request.params.id);
    if (!job) return sendError(reply, 404, [nonexistentId()]);
    return reply.header('content-type', json).send(JSON.stringify(jobBody(originOf(request), job)));
  });

  app.get<{ Params: { id: string } }>('/services/rest/async/v1/job/:id/task', async (request, reply) => {
    const job = state.jobs.get(request.params.id);
    if (!job) return sendError(reply, 404, [nonexistentId()]);
    return reply.header('content-type', 'application/vnd.oracle.resource+json; type=collection').send(JSON.stringify(taskListBody(originOf(request), job)));
  });

  app.get<{ Params: { id: string; taskId: string } }>('/services/rest/async/v1/job/:id/task/:taskId', async (request, reply) => {
    const job = state.jobs.get(request.params.id);
    if (!job || request.params.taskId !== '1') return sendError(reply, 404, [nonexistentId()]);
    return reply.header('content-type', json).send(JSON.stringify(taskBody(originOf(request), job)));
  });

  // The task result replays what the synchronous request would have answered.
  app.get<{ Params: { id: string; taskId: string } }>('/services/rest/async/v1/job/:id/task/:taskId/result', async (request, reply) => {
    const job = state.jobs.get(request.params.id);
    if (!job || request.params.taskId !== '1') return sendError(reply, 404, [nonexistentId()]);
    if (!job.result) return sendError(reply, 400, [{ detail: 'The task has not finished yet. Poll the task until it is completed.', 'o:errorCode': 'INVALID_REQUEST' }]);
    for (const [name, value] of Object.entries(job.result.headers)) reply.header(name, value);
    if (job.result.body === undefined) return reply.code(job.result.status).send();
    return reply.code(job.result.status).header('content-type', json).send(JSON.stringify(job.result.body));
  });
}
