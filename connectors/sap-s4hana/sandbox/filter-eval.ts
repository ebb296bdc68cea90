import { compareValues, parseDuration, parseIsoMicros, type EdmType, type EdmValue } from './edm.js';
import type { ComparisonOperator, FilterNode, Literal } from './filter-parser.js';
import type { EntityTypeDef, SandboxRecord } from './model.js';

/**
 * A parsed `$filter` bound to an entity type: each comparison's literal converted to the
 * property's internal value, with SAP's type checks (a DateTimeOffset property compares only with
 * a `datetimeoffset'…'` literal, a DateTime one with `datetime'…'`, …).
 */
export type BoundFilter =
  | { kind: 'and' | 'or'; left: BoundFilter; right: BoundFilter }
  | { kind: 'not'; operand: BoundFilter }
  | { kind: 'compare'; operator: ComparisonOperator; property: string; type: EdmType; value: EdmValue };

export class FilterTypeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterTypeError';
  }
}

const LITERAL_EDM: Record<Literal['kind'], string> = {
  string: 'Edm.String',
  datetime: 'Edm.DateTime',
  datetimeoffset: 'Edm.DateTimeOffset',
  time: 'Edm.Time',
  guid: 'Edm.Guid',
  number: 'Edm.Decimal',
  boolean: 'Edm.Boolean',
  null: 'null',
};

function literalValue(type: EdmType, literal: Literal): EdmValue | undefined {
  if (literal.kind === 'null') return null;
  switch (type) {
    case 'String':
      return literal.kind === 'string' ? literal.value : undefined;
    case 'Guid':
      return literal.kind === 'guid' ? literal.value : undefined;
    case 'Decimal':
    case 'Int64':
      return literal.kind === 'number' ? literal.text : undefined;
    case 'Int32':
    case 'Int16':
    case 'Byte':
      return literal.kind === 'number' && /^-?\d+$/.test(literal.text) ? Number(literal.text) : undefined;
    case 'Boolean':
      return literal.kind === 'boolean' ? literal.value : undefined;
    case 'DateTime': {
      if (literal.kind !== 'datetime') return undefined;
      const micros = parseIsoMicros(literal.text, false);
      return micros === undefined ? undefined : Math.floor(micros / 1000);
    }
    case 'DateTimeOffset':
      return literal.kind === 'datetimeoffset' ? parseIsoMicros(literal.text, true) : undefined;
    case 'Time':
      return literal.kind === 'time' ? parseDuration(literal.text) : undefined;
  }
}

export function bindFilter(node: FilterNode, entityType: EntityTypeDef): BoundFilter {
  if (node.kind === 'not') return { kind: 'not', operand: bindFilter(node.operand, entityType) };
  if (node.kind !== 'compare') {
    return { kind: node.kind, left: bindFilter(node.left, entityType), right: bindFilter(node.right, entityType) };
  }
  const type = entityType.properties[node.property];
  if (!type) {
    throw new FilterTypeError(`Property ${node.property} not found in type ${entityType.typeName}`);
  }
  const value = literalValue(type, node.literal);
  if (value === undefined) {
    throw new FilterTypeError(
      `Operator '${node.operator}' incompatible with operand types 'Edm.${type}' and '${LITERAL_EDM[node.literal.kind]}' at position ${node.position}`,
    );
  }
  return { kind: 'compare', operator: node.operator, property: node.property, type, value };
}

export function matches(filter: BoundFilter, record: SandboxRecord): boolean {
  switch (filter.kind) {
    case 'and':
      return matches(filter.left, record) && matches(filter.right, record);
    case 'or':
      return matches(filter.left, record) || matches(filter.right, record);
    case 'not':
      return !matches(filter.operand, record);
    case 'compare': {
      const actual = (record[filter.property] ?? null) as EdmValue;
      if (filter.value === null || actual === null) {
        const equal = filter.value === actual;
        if (filter.operator === 'eq') return equal;
        if (filter.operator === 'ne') return !equal;
        return false;
      }
      const order = compareValues(filter.type, actual, filter.value);
      switch (filter.operator) {
        case 'eq':
          return order === 0;
        case 'ne':
          return order !== 0;
        case 'gt':
          return order > 0;
        case 'ge':
          return order >= 0;
        case 'lt':
          return order < 0;
        case 'le':
          return order <= 0;
      }
    }
  }
}

export interface Bounds {
  lower?: EdmValue;
  upper?: EdmValue;
}

/**
 * A conservative range of `property` every matching record lies in (inclusive), so an index
 * ordered by that property can start and stop early. Unbounded sides are left out.
 */
export function boundsOf(filter: BoundFilter | undefined, property: string, type: EdmType): Bounds {
  if (!filter) return {};
  const pick = (a: EdmValue | undefined, b: EdmValue | undefined, wantMax: boolean): EdmValue | undefined => {
    if (a === undefined) return b;
    if (b === undefined) return a;
    const order = compareValues(type, a, b);
    return (wantMax ? order >= 0 : order <= 0) ? a : b;
  };
  switch (filter.kind) {
    case 'and': {
      const left = boundsOf(filter.left, property, type);
      const right = boundsOf(filter.right, property, type);
      return clean({ lower: pick(left.lower, right.lower, true), upper: pick(left.upper, right.upper, false) });
    }
    case 'or': {
      const left = boundsOf(filter.left, property, type);
      const right = boundsOf(filter.right, property, type);
      return clean({
        lower: left.lower === undefined || right.lower === undefined ? undefined : pick(left.lower, right.lower, false),
        upper: left.upper === undefined || right.upper === undefined ? undefined : pick(left.upper, right.upper, true),
      });
    }
    case 'not':
      return {};
    case 'compare': {
      if (filter.property !== property || filter.value === null) return {};
      if (filter.operator === 'eq') return { lower: filter.value, upper: filter.value };
      if (filter.operator === 'gt' || filter.operator === 'ge') return { lower: filter.value };
      if (filter.operator === 'lt' || filter.operator === 'le') return { upper: filter.value };
      return {};
    }
  }
}

function clean(bounds: { lower: EdmValue | undefined; upper: EdmValue | undefined }): Bounds {
  const result: Bounds = {};
  if (bounds.lower !== undefined) result.lower = bounds.lower;
  if (bounds.upper !== undefined) result.upper = bounds.upper;
  return result;
}
