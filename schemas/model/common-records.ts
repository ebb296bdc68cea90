/**
 * Nested records shared by several entities. Each is defined once; in an entity's Avro schema the
 * first use defines it and later uses refer to it by name.
 */
import { addressType, assigneeType, contactPointType } from './enums.js';
import { f, record } from './field.js';

const cu = { write: 'create_update' } as const;

export const address = record('Address', 'A postal address. An address whose fields are all null is no address: it is given as null.', {
  type: f.enum(addressType, 'What the address is used for; null when the source does not say.', cu),
  name: f.text('Addressee or location name on the address.', cu),
  line1: f.text('First street line.', cu),
  line2: f.text('Second street line.', cu),
  line3: f.text('Third street line.', cu),
  city: f.text('City.', cu),
  state: f.text('State, province or region (code or name, as the source has it).', cu),
  postal_code: f.code('Postal or ZIP code.', cu),
  country: f.country('Country, ISO 3166-1 alpha-2 (DE, US).', cu),
  full_address: f.text('The whole address as one text, when the source provides one (NetSuite addrText).', cu),
  is_primary: f.flag('The main address of its type.', cu),
});

export const emailAddress = record('EmailAddress', 'An e-mail address.', {
  type: f.enum(contactPointType, 'What the address is used for; null when the source does not say.', cu),
  address: f.text('The e-mail address.', { ...cu, requiredOnCreate: true }),
  is_primary: f.flag('The main e-mail address.', cu),
});

export const phoneNumber = record('PhoneNumber', 'A phone or fax number.', {
  type: f.enum(contactPointType, 'What the number is used for; null when the source does not say.', cu),
  number: f.text('The number as the source has it (international format when the source gives one).', { ...cu, requiredOnCreate: true }),
  is_primary: f.flag('The main number.', cu),
});

export const assignee = record('Assignee', 'A person or team a work order is assigned to.', {
  type: f.enum(assigneeType, 'Person or team.', cu),
  user_id: f.id('The person\'s Millrace id (type user); null for a team.', 'user', cu),
  remote_id: f.text('Key of the person or team in the source system.', cu),
  name: f.text('Name of the person or team as the source shows it.', cu),
});
