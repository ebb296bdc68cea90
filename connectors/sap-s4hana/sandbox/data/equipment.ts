import { decimalBetween, intBetween, pick, seededRandom } from '../../../sandbox-kit/seeded.js';
import { dateOnly, END_OF_TIME_MS, MS_PER_DAY } from '../edm.js';
import type { SandboxRecord } from '../model.js';
import { COMPANY_CODE, equipmentNumber, MANUFACTURERS, PLANT, type GeneratorContext } from './catalog.js';

/**
 * Equipment in a hierarchy of superior equipment, five per tree:
 *   i%5=0 root ─┬─ i%5=1 ── i%5=2
 *               └─ i%5=3 ── i%5=4
 * Each tree sits on one functional location. Only the current time segment (valid to 9999-12-31)
 * exists. Change times step by 50 s and never decrease with the index.
 */
export function superiorIndexOf(index: number): number | null {
  switch (index % 5) {
    case 0:
      return null;
    case 3:
      return index - 3;
    default:
      return index - 1;
  }
}

export function equipmentChangeMs(context: GeneratorContext, index: number): number {
  return context.baseMs + index * 50_000;
}

const TYPES = [
  { type: 'PUMP', name: 'Centrifugal pump' },
  { type: 'MOTOR', name: 'Electric motor' },
  { type: 'VALVE', name: 'Control valve' },
  { type: 'COMPR', name: 'Air compressor' },
  { type: 'GEARB', name: 'Gearbox' },
] as const;

export function generateEquipment(context: GeneratorContext, index: number): SandboxRecord {
  const random = seededRandom(context.seed ^ 0x3e9, index);
  const number = equipmentNumber(index);
  const superior = superiorIndexOf(index);
  const kind = TYPES[index % TYPES.length]!;
  const changed = equipmentChangeMs(context, index);
  const acquiredMs = dateOnly(changed - intBetween(random, 200, 3000) * MS_PER_DAY);
  const deleted = index % 41 === 17;
  const tree = Math.floor(index / 5);
  return {
    Equipment: number,
    ValidityEndDate: END_OF_TIME_MS,
    ValidityEndTime: 86399,
    ValidityStartDate: acquiredMs,
    EquipmentName: `${kind.name} ${tree + 1}-${(index % 5) + 1}`,
    EquipmentCategory: 'M',
    TechnicalObjectType: kind.type,
    GrossWeight: decimalBetween(random, 5, 2500, 3),
    GrossWeightUnit: 'KG',
    SizeOrDimensionText: '',
    InventoryNumber: index % 3 === 0 ? `INV-${20000 + index}` : '',
    Currency: 'USD',
    AssetManufacturerName: pick(random, MANUFACTURERS),
    ManufacturerPartTypeName: `Model ${String.fromCharCode(65 + (index % 26))}${intBetween(random, 100, 999)}`,
    ManufacturerCountry: pick(random, ['US', 'DE', 'DK', 'CH']),
    ConstructionYear: String(new Date(acquiredMs).getUTCFullYear() - 1),
    ConstructionMonth: String(intBetween(random, 1, 12)).padStart(2, '0'),
    ManufacturerPartNmbr: `MPN-${intBetween(random, 10000, 99999)}`,
    ManufacturerSerialNumber: `SN${intBetween(random, 1000000, 9999999)}`,
    MaintenancePlant: PLANT,
    AssetLocation: 'YB_1701',
    AssetRoom: '',
    PlantSection: 'YOH',
    WorkCenter: 'RES-0100',
    WorkCenterPlant: PLANT,
    CompanyCode: COMPANY_CODE,
    CostCenter: '17101301',
    MaintenancePlanningPlant: PLANT,
    MaintenancePlannerGroup: '930',
    MainWorkCenter: 'RES-0100',
    MainWorkCenterPlant: PLANT,
    FunctionalLocation: `1710-SPA-SAC-PLAR${(tree % 4) + 1}`,
    FunctionalLocationName: `Production line ${(tree % 4) + 1}`,
    SuperordinateEquipment: superior === null ? '' : equipmentNumber(superior),
    Material: '',
    SerialNumber: '',
    ABCIndicator: pick(random, ['A', 'B', 'C', '']),
    CreatedByUser: 'CB9980000037',
    LastChangedByUser: 'CB9980000037',
    AcquisitionValue: decimalBetween(random, 1500, 250000, 2),
    OperationStartDate: acquiredMs + 14 * MS_PER_DAY,
    AcquisitionDate: acquiredMs,
    CreationDate: acquiredMs,
    LastChangeDateTime: changed,
    EquipmentIsAvailable: superior === null && !deleted,
    EquipmentIsInstalled: superior !== null && !deleted,
    EquipIsAllocToSuperiorEquip: superior !== null,
    EquipHasSubOrdinateEquipment: index % 5 === 0 || index % 5 === 1 || index % 5 === 3,
    EquipmentIsMarkedForDeletion: deleted,
    EquipmentIsInactive: deleted,
  };
}
