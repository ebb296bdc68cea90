import { companyPath, type BcClient } from '../client.js';
import { parseRemoteId } from '../mappers/values.js';

/** Reads one record by its remote id `<company id>/<id>`; null when Business Central no longer has it. */
export async function fetchEntity<T extends object>(client: BcClient, remoteId: string, entitySet: string, expand?: string): Promise<T | null> {
  const { companyId, id } = parseRemoteId(remoteId);
  return client.getOne<T>(companyPath(companyId, `${entitySet}(${id})`), expand ? { $expand: expand } : undefined);
}
