import { isConnectorError, type ConnectorError } from '../errors.js';

/**
 * The ConnectorError a call rejected with. A call that succeeded, or failed with anything but a
 * ConnectorError, fails the test: connectors report every failure as a typed error.
 */
export async function connectorFailure(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    if (isConnectorError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConnectorError, but the call succeeded');
}
