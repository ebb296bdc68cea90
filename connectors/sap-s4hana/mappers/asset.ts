import type { AssetStatus, MappedAsset } from '../../../schemas/index.js';
import { MappingError } from '../../sdk/errors.js';
import type { MapContext } from '../../sdk/types.js';
import { dateAsTimestamp, RawReader } from './raw-reader.js';

/**
 * Equipment (API_EQUIPMENT) → unified asset. SAP gives only the immediate superior
 * (`SuperordinateEquipment`); the assets stream attaches the whole chain of superiors it read as
 * `millrace_superior_path` (equipment numbers, root first, parent last), from which root and path
 * come. The status flags are SAP's system statuses in boolean form:
 *
 * | SAP                                              | unified        | remote_status |
 * |--------------------------------------------------|----------------|---------------|
 * | EquipmentIsMarkedForDeletion                     | decommissioned | DLFL          |
 * | EquipmentIsInactive                              | decommissioned | INAC          |
 * | EquipmentIsInstalled                             | operational    | INST          |
 * | EquipmentIsAvailable (not installed, in stock)   | standby        | AVLB          |
 * | none of these                                    | operational    | null          |
 */
export const SUPERIOR_PATH_KEY = 'millrace_superior_path';

export function assetStatus(reader: RawReader): { status: AssetStatus; remote: string | null } {
  const codes: string[] = [];
  if (reader.flag('EquipmentIsInstalled')) codes.push('INST');
  if (reader.flag('EquipmentIsAvailable')) codes.push('AVLB');
  if (reader.flag('EquipmentIsInactive')) codes.push('INAC');
  if (reader.flag('EquipmentIsMarkedForDeletion')) codes.push('DLFL');
  const remote = codes.length > 0 ? codes.join(' ') : null;
  if (codes.includes('DLFL') || codes.includes('INAC')) return { status: 'decommissioned', remote };
  if (codes.includes('INST')) return { status: 'operational', remote };
  if (codes.includes('AVLB')) return { status: 'standby', remote };
  return { status: 'operational', remote };
}

function superiorPath(raw: Record<string, unknown>): string[] {
  const value = raw[SUPERIOR_PATH_KEY];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string' || entry === '')) {
    throw new MappingError(SUPERIOR_PATH_KEY, 'expected a list of equipment numbers, root first');
  }
  return value as string[];
}

export function mapAsset(raw: Record<string, unknown>, ctx: MapContext): MappedAsset {
  const equipment = new RawReader(raw);
  const number = equipment.requiredText('Equipment');
  const name = equipment.text('EquipmentName');
  const superior = equipment.text('SuperordinateEquipment');
  const path = superiorPath(raw);
  if (superior && path.length > 0 && path.at(-1) !== superior) {
    throw new MappingError(SUPERIOR_PATH_KEY, `ends with ${path.at(-1)}, but SuperordinateEquipment is ${superior}`);
  }
  const functionalLocation = equipment.text('FunctionalLocation');
  const { status, remote } = assetStatus(equipment);
  const deleted = equipment.flag('EquipmentIsMarkedForDeletion');
  const updatedAt = equipment.timestamp('LastChangeDateTime');
  return {
    remote_id: number,
    display_value: name ? `${name} (${number})` : `Equipment ${number}`,
    remote_created_at: dateAsTimestamp(equipment.date('CreationDate')),
    remote_updated_at: updatedAt,
    remote_deleted_at: deleted ? updatedAt : null,
    is_deleted: deleted,
    code: number,
    name,
    description: null,
    status,
    remote_status: remote,
    category: equipment.text('TechnicalObjectType') ?? equipment.text('EquipmentCategory'),
    criticality: equipment.text('ABCIndicator'),
    serial_number: equipment.text('ManufacturerSerialNumber') ?? equipment.text('SerialNumber'),
    model: equipment.text('ManufacturerPartTypeName'),
    manufacturer: equipment.text('AssetManufacturerName'),
    location_id: functionalLocation ? ctx.idFor('location', functionalLocation) : null,
    location_remote_id: functionalLocation,
    site: equipment.text('MaintenancePlant'),
    parent_asset_id: superior ? ctx.idFor('asset', superior) : null,
    parent_asset_remote_id: superior,
    root_asset_id: path[0] ? ctx.idFor('asset', path[0]) : null,
    root_asset_remote_id: path[0] ?? null,
    path: path.map((ancestor) => ctx.idFor('asset', ancestor)),
    path_remote_ids: path,
    functional_location: functionalLocation,
    purchase_date: equipment.date('AcquisitionDate'),
    purchase_cost: equipment.decimal('AcquisitionValue'),
    currency: equipment.text('Currency'),
    in_service_date: equipment.date('OperationStartDate'),
    warranty_expiry: null,
    vendor_id: null,
    vendor_remote_id: null,
    meters: [],
    custom_fields: equipment.customFields(),
  };
}
