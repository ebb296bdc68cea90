import type { ReadContext, StreamDefinition, StreamPage } from '../../sdk/types.js';
import type { SapClient } from '../client.js';
import { mapInventoryItem, STOCK_ROWS_KEY } from '../mappers/inventory-item.js';
import type { ODataRecord } from '../odata/page.js';
import { keyPredicate, stringLiteral } from '../odata/values.js';
import { SERVICES } from '../services.js';
import { readByKeys } from './fetching.js';

/**
 * Products with their stock: a full snapshot every run (stock rows have no change time, and a
 * product's LastChangeDateTime does not move when its stock does). Each page of A_Product (keyset
 * by Product) is followed by its stock rows from API_MATERIAL_STOCK_SRV A_MatlStkInAcctMod, read
 * with `$filter=Material eq … or …` in URL-sized batches; the raw record is the product as SAP
 * returned it plus those rows under `millrace_stock_rows`. Products gone from SAP are deleted by
 * the runtime after the pass completes; an interrupted pass resumes after its last product.
 */
const PRODUCT_EXPAND = 'to_Description,to_Valuation';

export interface InventoryCursor {
  after: string | null;
}

async function withStock(client: SapClient, products: ODataRecord[], signal?: AbortSignal): Promise<ODataRecord[]> {
  const numbers = products.map((product) => String(product.Product));
  const rows = await readByKeys(client, SERVICES.materialStock, 'A_MatlStkInAcctMod', 'Material', numbers, {}, signal);
  const byMaterial = new Map<string, ODataRecord[]>();
  for (const row of rows) {
    const material = String(row.Material);
    byMaterial.set(material, [...(byMaterial.get(material) ?? []), row]);
  }
  return products.map((product) => ({ ...product, [STOCK_ROWS_KEY]: byMaterial.get(String(product.Product)) ?? [] }));
}

export const inventoryItemsStream: StreamDefinition<SapClient, ODataRecord, InventoryCursor> = {
  name: 'inventory_items',
  entity: 'inventory_item',
  primaryKey: 'Product',
  cursorField: null,
  syncMode: 'full_refresh',
  defaultIntervalSeconds: 3600,
  remoteId: (raw) => String(raw.Product ?? ''),
  async *read(client: SapClient, cursor: InventoryCursor | null, ctx: ReadContext): AsyncGenerator<StreamPage<ODataRecord, InventoryCursor>> {
    let after = cursor?.after ?? null;
    for (;;) {
      const top = client.config.pageSize;
      const page = await client.collection(
        SERVICES.product,
        'A_Product',
        { $filter: after === null ? undefined : `Product gt ${stringLiteral(after)}`, $orderby: 'Product', $top: top, $expand: PRODUCT_EXPAND },
        ctx.signal,
      );
      const last = page.results.at(-1);
      const more = last !== undefined && (page.results.length >= top || page.next !== null);
      if (last) after = String(last.Product);
      const records = page.results.length > 0 ? await withStock(client, page.results, ctx.signal) : [];
      yield { records, cursor: more ? { after } : null };
      if (!more) return;
    }
  },
  nextCursor: (_cursor, record) => ({ after: String(record.Product) }),
  map: mapInventoryItem,
  async fetchOne(client, remoteId) {
    const product = await client.entity(SERVICES.product, `A_Product${keyPredicate({ Product: remoteId })}`, { $expand: PRODUCT_EXPAND });
    if (!product) return null;
    const [record] = await withStock(client, [product]);
    return record ?? null;
  },
};
