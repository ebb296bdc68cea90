import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from '../platform/logger.js';
import type { EntityName } from '../schemas/index.js';
import { TransformerError } from './errors.js';
import { SlotTransactor } from './slot-transactor.js';
import { loadState, tableSlot, type StateLoadRequest } from './state-loader.js';
import type { StateTable } from './state-table.js';

/**
 * The input partitions (slots) this worker owns, each with its transactional producer, its
 * state table and the offset its next record must have. A slot is prepared when the group
 * assigns it: fence its transactional id (the previous owner can no longer commit), read the
 * committed offset (final now), then load its state up to the end of the state partition.
 * Slots assigned together are prepared together, reading each state partition once.
 */
export interface Slot {
  id: string;
  topic: string;
  partition: number;
  entity: EntityName;
  ready: Promise<void>;
  transactor: SlotTransactor;
  table: StateTable | null;
  /** Records below this offset were committed already (by this or an earlier owner). */
  nextOffset: bigint | null;
}

export interface SlotManagerOptions {
  kafka: Kafka;
  admin: Admin;
  prefix: string;
  groupId: string;
  stateTopic: string;
  rawEntities: Map<string, EntityName>;
  logger: Logger;
  stateLoadTimeoutMs?: number;
  transactionTimeoutMs?: number;
}

export function slotId(topic: string, partition: number): string {
  return `${topic}/${partition}`;
}

export class SlotManager {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly options: SlotManagerOptions) {}

  get(topic: string, partition: number): Slot | undefined {
    return this.slots.get(slotId(topic, partition));
  }

  owned(): Slot[] {
    return [...this.slots.values()];
  }

  /** The group's new assignment: releases slots that moved away, prepares the new ones. */
  assign(assignment: Record<string, number[]>): void {
    const wanted = new Set<string>();
    const fresh: { topic: string; partition: number }[] = [];
    for (const [topic, partitions] of Object.entries(assignment)) {
      if (!this.options.rawEntities.has(topic)) continue;
      for (const partition of partitions) {
        const id = slotId(topic, partition);
        wanted.add(id);
        if (!this.slots.has(id)) fresh.push({ topic, partition });
      }
    }
    for (const slot of this.owned()) if (!wanted.has(slot.id)) void this.release(slot, 'assigned to another worker');
    if (fresh.length > 0) this.prepare(fresh);
  }

  /** The slot of a batch, prepared if the assignment did not announce it (or it was dropped). */
  slotFor(topic: string, partition: number): Slot {
    return this.get(topic, partition) ?? this.prepare([{ topic, partition }])[0]!;
  }

  /** Forgets a slot whose transaction failed or whose producer was fenced; the next batch prepares it again. */
  async invalidate(slot: Slot, reason: string): Promise<void> {
    await this.release(slot, reason);
  }

  async releaseAll(reason: string): Promise<void> {
    await Promise.all(this.owned().map((slot) => this.release(slot, reason)));
  }

  private async release(slot: Slot, reason: string): Promise<void> {
    if (this.slots.get(slot.id) === slot) this.slots.delete(slot.id);
    slot.table = null;
    await slot.transactor.close();
    this.options.logger.info({ topic: slot.topic, partition: slot.partition, reason }, 'transformer released the partition');
  }

  private prepare(inputs: { topic: string; partition: number }[]): Slot[] {
    const slots = inputs.map(({ topic, partition }) => {
      const slot: Slot = {
        id: slotId(topic, partition),
        topic,
        partition,
        entity: this.options.rawEntities.get(topic)!,
        ready: Promise.resolve(),
        transactor: new SlotTransactor(this.options.kafka, `${this.options.prefix}transformer-${topic}-${partition}`, {
          ...(this.options.transactionTimeoutMs ? { transactionTimeoutMs: this.options.transactionTimeoutMs } : {}),
        }),
        table: null,
        nextOffset: null,
      };
      this.slots.set(slot.id, slot);
      return slot;
    });
    const ready = this.prepareNow(slots);
    // Every slot awaits the shared preparation; a failure surfaces in the slot's next batch.
    ready.catch(() => {});
    for (const slot of slots) slot.ready = ready;
    return slots;
  }

  private async prepareNow(slots: Slot[]): Promise<void> {
    const { admin, logger } = this.options;
    await Promise.all(slots.map((slot) => slot.transactor.fence()));
    const topics = [...new Set(slots.map((slot) => slot.topic))];
    const committed = await admin.fetchOffsets({ groupId: this.options.groupId, topics });
    for (const slot of slots) {
      const offset = committed.find((entry) => entry.topic === slot.topic)?.partitions.find((entry) => entry.partition === slot.partition)?.offset;
      slot.nextOffset = offset !== undefined && offset !== '-1' ? BigInt(offset) : null;
    }
    const requests = new Map<number, StateLoadRequest>();
    for (const slot of slots) {
      const request = requests.get(slot.partition) ?? { partition: slot.partition, entities: [] };
      request.entities.push(slot.entity);
      requests.set(slot.partition, request);
    }
    const tables = await loadState([...requests.values()], {
      kafka: this.options.kafka,
      topic: this.options.stateTopic,
      groupPrefix: `${this.options.prefix}transformer-state-load`,
      logger,
      ...(this.options.stateLoadTimeoutMs ? { timeoutMs: this.options.stateLoadTimeoutMs } : {}),
    });
    for (const slot of slots) {
      if (this.slots.get(slot.id) !== slot) {
        await slot.transactor.close();
        continue;
      }
      slot.table = tables.get(tableSlot(slot.entity, slot.partition))!;
      logger.info({ topic: slot.topic, partition: slot.partition, records: slot.table.size, next_offset: slot.nextOffset?.toString() ?? null }, 'transformer took the partition over');
    }
  }
}

/** Waits for a slot's preparation, heartbeating so a long state load does not cost the group membership. */
export async function awaitSlot(slot: Slot, heartbeat: () => Promise<void>, intervalMs: number): Promise<StateTable> {
  let outcome: { error: unknown } | null | undefined;
  slot.ready.then(
    () => (outcome = null),
    (error: unknown) => (outcome = { error }),
  );
  while (outcome === undefined) {
    await Promise.race([slot.ready.catch(() => {}), new Promise((resolve) => setTimeout(resolve, intervalMs))]);
    // A rebalance makes heartbeat() throw: the batch ends, the preparation goes on for the next one.
    if (outcome === undefined) await heartbeat();
  }
  if (outcome) throw new SlotPreparationError(slot, outcome.error);
  if (!slot.table) throw new TransformerError('slot_revoked', `${slot.id} was released while it was being prepared`);
  return slot.table;
}

/** The preparation itself failed (fencing, offsets or the state load): the slot must be prepared again. */
export class SlotPreparationError extends Error {
  constructor(slot: Slot, readonly error: unknown) {
    super(`could not take ${slot.id} over: ${(error as Error)?.message ?? String(error)}`, { cause: error });
    this.name = 'SlotPreparationError';
  }
}
