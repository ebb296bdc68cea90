import { mapVendor } from '../mappers/vendor.js';
import { VENDORS } from '../suiteql.js';
import { netsuiteStream } from './netsuite-stream.js';

/** Vendors with their address book. */
export const vendorsStream = netsuiteStream({ name: 'vendors', entity: 'vendor', spec: VENDORS, map: mapVendor });
