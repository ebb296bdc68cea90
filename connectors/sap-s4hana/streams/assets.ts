import { ConnectorError } from '../../sdk/errors.js';
import { dateTimeAxis } from '../change-axes.js';
import type { SapClient } from '../client.js';
import { mapAsset, SUPERIOR_PATH_KEY } from '../mappers/asset.js';
import type { ODataRecord } from '../odata/page.js';
import { SERVICES } from '../services.js';
import { defineChangeStream } from './change-stream.js';
import { readByKeys } from './fetching.js';

/**
 * Equipment (current time segment only) with the chain of superior equipment attached as
 * `millrace_superior_path` (root first). SAP returns only the immediate superior, so the stream
 * looks up missing ancestors in batches and remembers them for the rest of the sync.
 * A re-parented ancestor does not change its descendants' LastChangeDateTime: their paths are
 * corrected by the next full pass.
 */
const CURRENT_SEGMENT = "ValidityEndDate eq datetime'9999-12-31T00:00:00'";
const MAX_DEPTH = 100;

type SuperiorMap = Map<string, string>;

async function lookUpAncestors(client: SapClient, superiors: SuperiorMap, start: Iterable<string>, signal: AbortSignal): Promise<void> {
  let missing = [...new Set(start)].filter((number) => number && !superiors.has(number));
  for (let depth = 0; missing.length > 0 && depth < MAX_DEPTH; depth++) {
    const found = await readByKeys(
      client,
      SERVICES.equipment,
      'Equipment',
      'Equipment',
      missing,
      { $select: 'Equipment,SuperordinateEquipment,ValidityEndDate', extraFilter: CURRENT_SEGMENT },
      signal,
    );
    for (const record of found) superiors.set(String(record.Equipment), String(record.SuperordinateEquipment ?? ''));
    // An ancestor SAP no longer returns (archived) ends the chain.
    for (const number of missing) if (!superiors.has(number)) superiors.set(number, '');
    missing = [...new Set(missing.map((number) => superiors.get(number)!))].filter((number) => number && !superiors.has(number));
  }
}

export function superiorPath(equipment: string, superiors: SuperiorMap): string[] {
  const path: string[] = [];
  const seen = new Set([equipment]);
  let current = superiors.get(equipment) ?? '';
  while (current) {
    if (seen.has(current) || path.length >= MAX_DEPTH) {
      throw new ConnectorError('invalid_response', `equipment ${equipment}: its superior equipment chain loops or is deeper than ${MAX_DEPTH} (at ${current})`);
    }
    seen.add(current);
    path.unshift(current);
    current = superiors.get(current) ?? '';
  }
  return path;
}

async function attachPaths(client: SapClient, records: ODataRecord[], state: Map<string, unknown>, signal: AbortSignal): Promise<ODataRecord[]> {
  const superiors = (state.get('superiors') as SuperiorMap | undefined) ?? new Map<string, string>();
  state.set('superiors', superiors);
  for (const record of records) superiors.set(String(record.Equipment), String(record.SuperordinateEquipment ?? ''));
  await lookUpAncestors(client, superiors, records.map((record) => String(record.SuperordinateEquipment ?? '')), signal);
  return records.map((record) => ({ ...record, [SUPERIOR_PATH_KEY]: superiorPath(String(record.Equipment), superiors) }));
}

export const assetsStream = defineChangeStream({
  name: 'assets',
  entity: 'asset',
  service: SERVICES.equipment,
  entitySet: 'Equipment',
  keyField: 'Equipment',
  axes: [dateTimeAxis('LastChangeDateTime')],
  baseFilter: CURRENT_SEGMENT,
  primaryKey: 'Equipment',
  cursorField: 'LastChangeDateTime',
  defaultIntervalSeconds: 900,
  enrich: attachPaths,
  map: mapAsset,
  async fetchOne(client, remoteId) {
    const [record] = await readByKeys(client, SERVICES.equipment, 'Equipment', 'Equipment', [remoteId], { extraFilter: CURRENT_SEGMENT });
    if (!record) return null;
    const [withPath] = await attachPaths(client, [record], new Map(), new AbortController().signal);
    return withPath ?? null;
  },
});
