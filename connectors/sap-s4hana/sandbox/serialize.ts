import { formatJsonValue, type EdmType, type EdmValue } from './edm.js';
import { children, type EntityTypeDef, type SandboxRecord } from './model.js';

/**
 * Records → OData V2 JSON as SAP Gateway writes it: `__metadata` with absolute `id`/`uri` and the
 * qualified type, properties formatted by Edm type, navigation properties as `__deferred` links
 * unless expanded (`{"results": [...]}` for to-many, the entity for to-one).
 */
export type ExpandTree = Map<string, ExpandTree>;

export function parseExpand(text: string | undefined): ExpandTree {
  const tree: ExpandTree = new Map();
  if (!text) return tree;
  for (const path of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    let node = tree;
    for (const segment of path.split('/')) {
      if (!node.has(segment)) node.set(segment, new Map());
      node = node.get(segment)!;
    }
  }
  return tree;
}

/** Nav names in the tree the type does not have, with the full path, for SAP's 400 error. */
export function unknownExpansions(tree: ExpandTree, entityType: EntityTypeDef, prefix = ''): string[] {
  const problems: string[] = [];
  for (const [name, subtree] of tree) {
    const navigation = entityType.navigations[name];
    if (!navigation) problems.push(`${prefix}${name}`);
    else problems.push(...unknownExpansions(subtree, navigation.target(), `${prefix}${name}/`));
  }
  return problems;
}

export function keyLiteral(type: EdmType, value: EdmValue): string {
  if (type === 'DateTime' && typeof value === 'number') return `datetime'${new Date(value).toISOString().slice(0, 19)}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `'${String(value ?? '').replace(/'/g, "''")}'`;
}

export function keyPredicate(entityType: EntityTypeDef, record: SandboxRecord): string {
  const keys = entityType.keys;
  if (keys.length === 1) {
    const key = keys[0]!;
    return `(${keyLiteral(entityType.properties[key]!, record[key] as EdmValue)})`;
  }
  return `(${keys.map((key) => `${key}=${keyLiteral(entityType.properties[key]!, record[key] as EdmValue)}`).join(',')})`;
}

export interface SerializeOptions {
  /** Absolute URL of the service root, without a trailing slash. */
  serviceRoot: (service: string) => string;
  expand: ExpandTree;
  select?: ReadonlySet<string>;
  /** The entity's ETag when its type has a concurrency token (concurrency-tokens.ts). */
  etagOf?: (entityType: EntityTypeDef, record: SandboxRecord) => string | null;
}

export function entityUri(entityType: EntityTypeDef, record: SandboxRecord, serviceRoot: (service: string) => string): string {
  return `${serviceRoot(entityType.service)}/${entityType.entitySet}${keyPredicate(entityType, record)}`;
}

export function serializeEntity(entityType: EntityTypeDef, record: SandboxRecord, options: SerializeOptions): Record<string, unknown> {
  const uri = entityUri(entityType, record, options.serviceRoot);
  const metadata: Record<string, string> = { id: uri, uri, type: `${entityType.service}.${entityType.typeName}` };
  const etag = options.etagOf?.(entityType, record) ?? null;
  if (etag !== null) metadata.etag = etag;
  else if (typeof record.ETag === 'string' && record.ETag !== '') metadata.etag = `W/"'${record.ETag}'"`;
  const out: Record<string, unknown> = { __metadata: metadata };
  for (const [name, type] of Object.entries(entityType.properties)) {
    if (options.select && !options.select.has(name)) continue;
    out[name] = formatJsonValue(type, record[name] as EdmValue | undefined);
  }
  for (const [name, navigation] of Object.entries(entityType.navigations)) {
    const subtree = options.expand.get(name);
    if (!subtree) {
      if (!options.select || options.select.has(name)) out[name] = { __deferred: { uri: `${uri}/${name}` } };
      continue;
    }
    const target = navigation.target();
    const childOptions: SerializeOptions = { serviceRoot: options.serviceRoot, expand: subtree, ...(options.etagOf ? { etagOf: options.etagOf } : {}) };
    const related = children(record, name).map((child) => serializeEntity(target, child, childOptions));
    out[name] = navigation.many ? { results: related } : (related[0] ?? null);
  }
  return out;
}
