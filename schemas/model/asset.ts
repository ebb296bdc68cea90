import { assetStatus } from './enums.js';
import { entityModel } from './envelope.js';
import { f, fields, record, reference } from './field.js';

export const meterReading = record('MeterReading', 'The latest reading of one meter or counter on the asset.', {
  remote_id: f.text('The meter\'s key in the source (measuring point, meter name).'),
  name: f.text('Meter name (run hours, odometer, temperature).'),
  value: f.number('The last reading.'),
  unit: f.code('Unit of the reading (H, KM, °C).'),
  read_at: f.timestamp('When the reading was taken (UTC).'),
});

export const assetModel = entityModel({
  entity: 'asset',
  name: 'Asset',
  label: 'assets',
  doc: 'A physical thing that is maintained: machine, vehicle, building part (SAP equipment or functional location, Maximo asset, UpKeep/Fiix/Limble asset), placed in a hierarchy.',
  own: fields({
    code: f.text('Asset number or tag people use (SAP equipment 10000045, tag P-101).'),
    name: f.text('Name people use.'),
    description: f.text('Longer description.'),
    status: f.enum(assetStatus, 'Canonical operating status.'),
    remote_status: f.code('The status as the source states it (SAP system status INST, Maximo OPERATING).'),
    category: f.text('Asset type or class (SAP equipment category or object type, Maximo asset type, a CMMS category).'),
    criticality: f.code('Criticality or ABC indicator as the source grades it (A/B/C, 1–5).'),
    serial_number: f.text('Manufacturer serial number.'),
    model: f.text('Model number or name.'),
    manufacturer: f.text('Manufacturer name.'),
    ...reference('location', 'location', 'Where the asset is (location, functional location, room)'),
    site: f.text('Site or plant.'),
    ...reference('parent_asset', 'asset', 'The asset this one is part of (superior equipment or functional location); null for a top-level asset'),
    ...reference('root_asset', 'asset', 'The top of this asset\'s hierarchy; null for a top-level asset or when the source does not give the hierarchy'),
    path: f.ids('Millrace ids of the ancestors, root first, parent last. Empty for a top-level asset, or when the source does not give the whole hierarchy (parent_asset_id is then still set).'),
    path_remote_ids: f.texts('The same ancestors by their keys in the source, root first.'),
    functional_location: f.text('SAP functional location label (or the equivalent place code) the asset is installed at.'),
    purchase_date: f.date('When the asset was bought.'),
    purchase_cost: f.money('What it cost, in currency.'),
    currency: f.currency('Currency of purchase_cost (ISO 4217).'),
    in_service_date: f.date('When it went into service.'),
    warranty_expiry: f.date('When the warranty ends.'),
    ...reference('vendor', 'vendor', 'The vendor it was bought from'),
    meters: f.records(meterReading, 'Meters and counters with their latest readings.'),
  }),
});
