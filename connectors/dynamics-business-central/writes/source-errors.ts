import { ConnectorError, isConnectorError } from '../../sdk/errors.js';
import { withoutCorrelation } from '../bc-errors.js';

/**
 * Business Central names the failing record or value, not the field of the request; this maps
 * its words back onto the unified input's paths so the caller sees where the problem is.
 */
export function withFieldErrors(error: unknown, input: Record<string, unknown>): unknown {
  if (!isConnectorError(error) || error.kind !== 'validation' || !error.sourceMessage) return error;
  const said = withoutCorrelation(error.sourceMessage);
  const lines = Array.isArray(input.lines) ? (input.lines as Record<string, unknown>[]) : [];
  const value = /No\.='([^']*)'|Code='([^']*)'|Value: (.*)$/.exec(said);
  const named = value?.[1] ?? value?.[2] ?? value?.[3];
  let path = '';
  if (/^The Vendor does not exist|Vendor .* is blocked|vendorNumber or a vendorId/.test(said)) path = 'vendor_remote_id';
  else if (/^The Currency does not exist/.test(said)) path = 'currency';
  else if (/^The Item does not exist|in Item: No\.=/.test(said)) {
    const itemNumber = named ?? /No\.=(\S+)/.exec(said)?.[1];
    const index = lines.findIndex((line) => line.item_code === itemNumber || String(line.item_remote_id ?? '').endsWith(`/${itemNumber}`));
    path = index >= 0 ? `lines[${index}].${lines[index]!.item_code === itemNumber ? 'item_code' : 'item_remote_id'}` : 'lines';
  } else if (/^The Unit of Measure does not exist/.test(said)) {
    const index = lines.findIndex((line) => line.uom === named);
    path = index >= 0 ? `lines[${index}].uom` : 'lines';
  } else if (/^Status must be equal to/.test(said)) path = 'status';
  else if (named !== undefined) path = findValuePath(input, named) ?? '';
  if (!path) return error;
  return new ConnectorError('validation', error.message, {
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.sourceCode !== undefined ? { sourceCode: error.sourceCode } : {}),
    sourceMessage: error.sourceMessage,
    fieldErrors: [{ path, message: said, ...(error.sourceCode ? { code: error.sourceCode } : {}) }],
    cause: error,
  });
}

function findValuePath(value: unknown, wanted: string, path = ''): string | undefined {
  if (value === wanted) return path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findValuePath(value[i], wanted, `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const found = findValuePath(child, wanted, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return undefined;
}
