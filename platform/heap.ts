import v8 from 'node:v8';

/** Old-generation growth between full collections: V8's factor is 1 + this / 100. */
export const HEAP_GROWING_PERCENT = 300;

/**
 * Lets V8's old generation grow to 4× its live size before the next full collection. V8 picks
 * the factor from how fast it collects relative to how fast the program allocates; the API
 * collects a ~50 MB heap quickly, so V8 chose 1.1 and, with each page's result and response
 * (~300 KB each, counted with the heap), ran a full mark-compact every ~0.3 s whose incremental
 * steps (up to 17 ms each) were the list endpoint's p99. With 4×: p99 64–90 → 30–41 ms on the
 * same data, the V8 heap 88 → 89 MiB (docs/benchmarks.md#api-reads).
 *
 * Set at start-up of the long-running commands; V8 reads the flag at each collection.
 */
export function relaxHeapGrowth(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
