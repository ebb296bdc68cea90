import type { FastifyRequest } from 'fastify';
import type { FaultState } from '../../sandbox-kit/faults.js';
import type { AsyncJobs } from './async-jobs.js';
import type { RecordType } from './records.js';
import type { NetSuiteStore } from './store.js';

/** Fault switches beyond the kit's: NetSuite-specific misbehaviour tests can turn on. */
export interface NetSuiteFaults extends FaultState {
  /** Record types the integration role may not read or write (403). */
  deniedTypes: RecordType[];
  /** After each of the next N SuiteQL pages over a record table, the first record of that page is changed (it moves to the end of the change order). */
  mutateDuringPaging: number;
}

export interface SandboxState {
  store: NetSuiteStore;
  faults: NetSuiteFaults;
  jobs: AsyncJobs;
  /** The session clock's UTC offset in minutes (the integration user's time zone preference). */
  sessionUtcOffsetMinutes: number;
}

/** Scheme and host the client addressed: NetSuite's links and the OAuth base string use it. */
export function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
