import { restDateTime } from './clock.js';

/**
 * Asynchronous request processing (`Prefer: respond-async`): the request becomes a job, answered
 * with 202 and `Location: …/services/rest/async/v1/job/{id}`; the job has one task whose result is
 * what the synchronous request would have answered (status, Location, body). An idempotency key
 * (`X-NetSuite-Idempotency-Key`, a UUID) makes a repeated submission a 400 IDEMPOTENCY_ERROR whose
 * Location names the first job, so a retried create never runs twice.
 * Docs: "REST Web Services Request Processing" (chapter_161251386312), "Sending an Asynchronous
 * Request Using an Idempotency Key" (subsect_164494900632).
 */
export interface CapturedResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface AsyncJob {
  id: string;
  startMs: number;
  endMs: number | null;
  result: CapturedResponse | null;
}

export class AsyncJobs {
  private readonly jobs = new Map<string, AsyncJob>();
  private readonly byKey = new Map<string, string>();
  private nextId = 1;

  constructor(private readonly delayMs: () => number, private readonly now: () => number) {}

  /** The job already submitted with this key, if any. */
  jobForKey(key: string): AsyncJob | undefined {
    const id = this.byKey.get(key);
    return id ? this.jobs.get(id) : undefined;
  }

  /** Queues `work`; it runs after the processing delay, like a job waiting for an async processor. */
  submit(key: string | undefined, work: () => CapturedResponse): AsyncJob {
    const job: AsyncJob = { id: String(this.nextId++), startMs: this.now(), endMs: null, result: null };
    this.jobs.set(job.id, job);
    if (key) this.byKey.set(key, job.id);
    const timer = setTimeout(() => {
      try {
        job.result = work();
      } catch (error) {
        job.result = { status: 500, headers: {}, body: { detail: (error as Error).message } };
      }
      job.endMs = this.now();
    }, this.delayMs());
    timer.unref?.();
    return job;
  }

  get(id: string): AsyncJob | undefined {
    return this.jobs.get(id);
  }
}

const progress = (job: AsyncJob): string => (job.result === null ? 'pending' : job.result.status < 400 ? 'succeeded' : 'failed');

export function jobBody(origin: string, job: AsyncJob): Record<string, unknown> {
  const href = `${origin}/services/rest/async/v1/job/${job.id}`;
  return { links: [{ rel: 'self', href }], completed: job.result !== null, id: job.id, progress: progress(job), task: { links: [{ rel: 'self', href: `${href}/task` }] } };
}

export function taskListBody(origin: string, job: AsyncJob): Record<string, unknown> {
  const href = `${origin}/services/rest/async/v1/job/${job.id}/task`;
  return { links: [{ rel: 'self', href }], count: 1, hasMore: false, items: [{ links: [{ rel: 'self', href: `${href}/1` }], id: '1' }], offset: 0, totalResults: 1 };
}

export function taskBody(origin: string, job: AsyncJob): Record<string, unknown> {
  const href = `${origin}/services/rest/async/v1/job/${job.id}/task/1`;
  return {
    links: [{ rel: 'related', href: `${href}/result` }, { rel: 'self', href }],
    completed: job.result !== null,
    ...(job.endMs !== null ? { endTime: restDateTime(job.endMs) } : {}),
    id: '1',
    progress: progress(job),
    startTime: restDateTime(job.startMs),
  };
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
