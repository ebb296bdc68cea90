import { describe, expect, it } from 'vitest';
import { PartitionSlot } from './partition-slot.js';

/** A slot resumed from committed offset `next`, as the sink consumer makes one. */
function slotAt(next: bigint | undefined): PartitionSlot {
  const slot = new PartitionSlot('t', 0, 1);
  slot.nextOffset = next;
  return slot;
}

describe('PartitionSlot: committing past transaction markers', () => {
  it('commits past markers read after the last written batch when nothing is buffered', () => {
    const slot = slotAt(10n);
    expect(slot.pastMarkers()).toBeUndefined();
    slot.markersRead(12n);
    expect(slot.pastMarkers()).toBe(12n);
    // A later, smaller report does not move it back.
    slot.markersRead(11n);
    expect(slot.pastMarkers()).toBe(12n);
  });

  it('commits past markers at the start of a partition no batch was written to yet', () => {
    const slot = slotAt(undefined);
    slot.markersRead(2n);
    expect(slot.pastMarkers()).toBe(2n);
  });

  it('never commits past a buffered message, a pending batch or a flush in flight', () => {
    const buffered = slotAt(10n);
    buffered.add({ offset: 10n, publishedAtMs: 0 }, [{ table: 'events', json: '{}' }]);
    buffered.markersRead(12n);
    expect(buffered.pastMarkers()).toBeUndefined();
    expect(buffered.commitOffsetAfter(10n)).toBe(10n);

    const pending = slotAt(10n);
    pending.pendingEnd = 14n;
    pending.markersRead(12n);
    expect(pending.pastMarkers()).toBeUndefined();

    const flushing = slotAt(10n);
    flushing.inflight = Promise.resolve();
    flushing.markersRead(12n);
    expect(flushing.pastMarkers()).toBeUndefined();
  });

  it('lets a batch commit past the markers after it, but not past markers before its end', () => {
    const slot = slotAt(0n);
    slot.markersRead(8n);
    expect(slot.commitOffsetAfter(8n)).toBe(8n);
    expect(slot.commitOffsetAfter(7n)).toBe(8n);
    expect(slot.commitOffsetAfter(20n)).toBe(20n);
  });
});
