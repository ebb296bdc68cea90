import type { Vendor } from '../generated/types.js';
import { exampleEnvelope } from './envelope.js';

export const exampleVendor: Vendor = {
  ...exampleEnvelope('vendor', '17300001', 'sap_s4hana', 'Rhein Industrial Supply GmbH', { Supplier: '17300001' }),
  code: '17300001',
  name: 'Rhein Industrial Supply',
  legal_name: 'Rhein Industrial Supply GmbH',
  status: 'active',
  remote_status: null,
  category: 'Spare parts',
  tax_id: 'DE123456789',
  currency: 'EUR',
  payment_terms: '0001',
  addresses: [
    {
      type: 'office',
      name: 'Rhein Industrial Supply GmbH',
      line1: 'Hafenstraße 12',
      line2: null,
      line3: null,
      city: 'Mannheim',
      state: 'BW',
      postal_code: '68159',
      country: 'DE',
      full_address: 'Hafenstraße 12, 68159 Mannheim, Germany',
      is_primary: true,
    },
  ],
  emails: [
    { type: 'ordering', address: 'orders@rhein-supply.example', is_primary: true },
    { type: 'billing', address: 'ap@rhein-supply.example', is_primary: false },
  ],
  phones: [{ type: 'work', number: '+49 621 555 0100', is_primary: true }],
  website: 'https://rhein-supply.example',
  contact_name: 'Max Weber',
  subsidiary: null,
  notes: 'Framework agreement FA-2023-07 until end of 2025.',
  custom_fields: { YY1_Rating: 'A', YY1_Audited: 'true', YY1_Scores: '[4,5,5]' },
};
