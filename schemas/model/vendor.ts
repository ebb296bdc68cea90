import { address, emailAddress, phoneNumber } from './common-records.js';
import { vendorStatus } from './enums.js';
import { entityModel } from './envelope.js';
import { f, fields } from './field.js';

export const vendorModel = entityModel({
  entity: 'vendor',
  name: 'Vendor',
  label: 'vendors',
  doc: 'A supplier goods and services are bought from (SAP supplier, NetSuite vendor, Business Central vendor, Maximo company).',
  own: fields({
    code: f.text('Vendor number people use (SAP supplier 17300001, Business Central V00010).'),
    name: f.text('Name people use.'),
    legal_name: f.text('Registered legal name, when the source keeps it apart from name.'),
    status: f.enum(vendorStatus, 'Canonical status.'),
    remote_status: f.code('The status or blocking flags as the source states them.'),
    category: f.text('Vendor group, category or account group.'),
    tax_id: f.text('Tax or VAT registration number.'),
    currency: f.currency('Currency the vendor is usually paid in (ISO 4217).'),
    payment_terms: f.code('Default payment terms code or name.'),
    addresses: f.records(address, 'Postal addresses.'),
    emails: f.records(emailAddress, 'E-mail addresses.'),
    phones: f.records(phoneNumber, 'Phone and fax numbers.'),
    website: f.text('Web site URL.'),
    contact_name: f.text('Main contact person.'),
    subsidiary: f.text('NetSuite subsidiary (or the company/organisation the vendor belongs to).'),
    notes: f.text('Free-text notes.'),
  }),
});
