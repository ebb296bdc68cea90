import { intBetween, pick, seededRandom } from '../../../sandbox-kit/seeded.js';
import { dateOnly, MS_PER_DAY } from '../edm.js';
import type { SandboxRecord } from '../model.js';
import { COMPANY_CODE, equipmentNumber, maintenanceOrderNumber, PLANT, productNumber, type GeneratorContext } from './catalog.js';

/**
 * Maintenance orders with operations and their components. `SystemStatusText` is SAP's list of
 * active system statuses (4-character codes padded and joined, e.g. "REL  CNF  MANC PRC  SETC").
 * Change times come in pairs that tie to the second; one order in twenty has no
 * LastChangeDateTime (orders created before the field was filled), which an incremental filter on
 * it never finds: a full pass does.
 */
const PAIR_STEP_MS = 75_000;

export function maintenanceOrderChangeMs(context: GeneratorContext, index: number): number | null {
  if (index % 20 === 7) return null;
  return context.baseMs + Math.floor(index / 2) * PAIR_STEP_MS;
}

const STATUS_SETS = [
  ['CRTD', 'MANC', 'NMAT'],
  ['CRTD', 'MANC', 'PRC'],
  ['REL', 'MANC', 'PRC', 'SETC'],
  ['REL', 'PCNF', 'MANC', 'PRC', 'SETC'],
  ['REL', 'CNF', 'MANC', 'PRC', 'SETC'],
  ['TECO', 'CNF', 'PRC', 'SETC'],
  ['CLSD', 'CNF', 'PRC', 'SETC'],
  ['CRTD', 'DLFL', 'MANC'],
] as const;

/** SAP pads each 4-character status and separates them by a space ("REL  CNF  MANC"). */
export function statusText(codes: readonly string[]): string {
  return codes.map((code) => code.padEnd(4, ' ')).join(' ').trimEnd();
}

const TITLES = ['Pump inspection', 'Replace bearing', 'Leak at flange', 'Quarterly lubrication', 'Calibrate pressure sensor', 'Motor overheating'];

export function generateMaintenanceOrder(context: GeneratorContext, index: number): SandboxRecord {
  const random = seededRandom(context.seed ^ 0x40aa, index);
  const number = maintenanceOrderNumber(index);
  const changed = maintenanceOrderChangeMs(context, index);
  const startMs = dateOnly((changed ?? context.baseMs) + intBetween(random, 1, 30) * MS_PER_DAY);
  const durationDays = intBetween(random, 0, 5);
  const statuses = STATUS_SETS[index % STATUS_SETS.length]!;
  const equipmentIndex = intBetween(random, 0, Math.max(0, context.sizes.equipment - 1));
  const equipment = equipmentNumber(equipmentIndex);
  const type = pick(random, ['YBA1', 'YBA2', 'PM01', 'PM02']);
  const operations: SandboxRecord[] = [];
  const operationCount = intBetween(random, 1, 3);
  for (let position = 1; position <= operationCount; position++) {
    operations.push(generateOperation(context, random, number, position, startMs, statuses));
  }
  return {
    MaintenanceOrder: number,
    MaintOrderRoutingNumber: String(1000000000 + index),
    MaintenanceOrderType: type,
    MaintenanceOrderDesc: `${pick(random, TITLES)} ${equipment}`,
    MaintOrdBasicStartDateTime: startMs + 8 * 3_600_000,
    MaintOrdBasicEndDateTime: startMs + durationDays * MS_PER_DAY + 16 * 3_600_000,
    MaintOrdBasicStartDate: startMs,
    MaintOrdBasicStartTime: 8 * 3600,
    MaintOrdBasicEndDate: startMs + durationDays * MS_PER_DAY,
    MaintOrdBasicEndTime: 16 * 3600,
    MaintOrdSchedldBscStrtDateTime: startMs + 8 * 3_600_000,
    MaintOrdSchedldBscEndDateTime: startMs + durationDays * MS_PER_DAY + 16 * 3_600_000,
    ScheduledBasicStartDate: startMs,
    ScheduledBasicStartTime: 8 * 3600,
    ScheduledBasicEndDate: startMs + durationDays * MS_PER_DAY,
    ScheduledBasicEndTime: 16 * 3600,
    MaintenanceNotification: index % 3 === 0 ? String(10000000 + index) : '',
    OrdIsNotSchedldAutomatically: '',
    ControllingArea: 'A000',
    MainWorkCenterInternalID: '10000063',
    MainWorkCenterTypeCode: 'A',
    MainWorkCenter: pick(random, ['RES-0100', 'RES-0200', 'RES-0300']),
    MainWorkCenterPlant: PLANT,
    WorkCenterInternalID: '0',
    WorkCenterTypeCode: '',
    WorkCenter: '',
    MaintenancePlanningPlant: PLANT,
    MaintenancePlant: PLANT,
    Assembly: '',
    MaintOrdProcessPhaseCode: '',
    MaintOrdProcessSubPhaseCode: '',
    BusinessArea: '',
    CompanyCode: COMPANY_CODE,
    CostCenter: '17101301',
    FunctionalArea: '',
    Equipment: equipment,
    EquipmentName: `Equipment ${equipment}`,
    FunctionalLocation: `1710-SPA-SAC-PLAR${(equipmentIndex % 4) + 1}`,
    MaintenanceOrderPlanningCode: '1',
    MaintenancePlannerGroup: '930',
    MaintenanceActivityType: pick(random, ['YB1', 'YB2', 'YB4']),
    MaintPriority: pick(random, ['1', '2', '3', '4', '']),
    MaintPriorityType: 'PM',
    ProfitCenter: 'YB110',
    ResponsibleCostCenter: '17101301',
    MaintenanceRevision: '',
    SerialNumber: '',
    WBSElementInternalID: '0',
    ControllingObjectClass: 'OC',
    MaintenanceOrderInternalID: `OR00000${number}`,
    MaintenanceObjectList: String(200 + index),
    AssetLocation: 'YB_1701',
    AssetRoom: '',
    PlantSection: 'YOH',
    ABCIndicator: '',
    BasicSchedulingType: '1',
    LatestAcceptableCompletionDate: index % 4 === 0 ? startMs + (durationDays + 7) * MS_PER_DAY : null,
    MaintOrdPersonResponsible: '',
    LastChangeDateTime: changed,
    CreatedByUser: 'CB9980000037',
    SystemStatusText: statusText(statuses),
    UserStatusText: pick(random, ['', '', 'INIT', 'APPR', 'HOLD']),
    TechnicalObject: equipment.padStart(18, '0'),
    TechnicalObjectLabel: equipment,
    TechObjIsEquipOrFuncnlLoc: 'EAMS_EQUI',
    to_MaintenanceOrderOperation: operations,
  };
}

function generateOperation(
  context: GeneratorContext,
  random: () => number,
  order: string,
  position: number,
  startMs: number,
  orderStatuses: readonly string[],
): SandboxRecord {
  const operation = String(position * 10).padStart(4, '0');
  const confirmed = orderStatuses.includes('CNF') || (orderStatuses.includes('PCNF') && position === 1);
  const work = `${intBetween(random, 1, 8)}.0`;
  const components: SandboxRecord[] = [];
  if (random() < 0.6) {
    components.push({
      MaintenanceOrder: order,
      MaintenanceOrderOperation: operation,
      MaintenanceOrderSubOperation: '',
      MaintenanceOrderComponent: String(position * 10).padStart(4, '0'),
      Reservation: String(5000000 + Number(order) % 1000000),
      ReservationItem: String(position),
      Product: productNumber(intBetween(random, 0, Math.max(0, context.sizes.products - 1))),
      MaintOrdOperationComponentText: 'Spare part',
      MaintOrdOpCompRequiredQuantity: `${intBetween(random, 1, 6)}.000`,
      BaseUnit: 'PC',
      Plant: PLANT,
      StorageLocation: '171A',
      MaintOrdOpCompItemCategory: 'L',
      GoodsMovementType: '261',
      MaintOrdOpComponentCurrency: 'USD',
      MaintenanceOrderComponentBatch: '',
      MaintOrderOpComponentPrice: '0',
      RequirementDate: startMs,
      ReservationIsFinallyIssued: confirmed,
      GoodsMovementIsAllowed: true,
    });
  }
  return {
    MaintenanceOrder: order,
    MaintenanceOrderOperation: operation,
    MaintenanceOrderSubOperation: '',
    OperationControlKey: 'YBM1',
    OperationWorkCenterInternalID: '10000063',
    WorkCenter: 'RES-0100',
    Plant: PLANT,
    OperationStandardTextCode: '',
    OperationDescription: pick(random, ['Isolate and lock out', 'Inspect and clean', 'Replace part', 'Test run', 'Document findings']),
    MaintOrderOperationDuration: work,
    MaintOrdOperationDurationUnit: 'H',
    MaintOrdOperationWorkDuration: work,
    MaintOrdOpWorkDurationUnit: 'H',
    ForecastWorkQuantity: work,
    ActualWorkQuantity: confirmed ? work : '0.0',
    OperationPersonResponsible: '',
    Equipment: '',
    FunctionalLocation: '',
    MaintenanceActivityType: '',
    MaintOrdOpProcessPhaseCode: '',
    MaintOrdOpProcessSubPhaseCode: '',
    SystemStatusText: confirmed ? 'CNF  REL' : orderStatuses.includes('REL') ? 'REL' : 'CRTD',
    UserStatusText: '',
    MaintOrderOperationInternalID: String(position),
    OpErlstSchedldExecStrtDte: startMs,
    OpErlstSchedldExecStrtTme: 8 * 3600,
    OpErlstSchedldExecEndDte: startMs,
    OpErlstSchedldExecEndTme: 12 * 3600,
    OpActualExecutionStartDate: confirmed ? startMs : null,
    OpActualExecutionStartTime: confirmed ? 8 * 3600 + 15 * 60 : null,
    OpActualExecutionEndDate: confirmed ? startMs : null,
    OpActualExecutionEndTime: confirmed ? 11 * 3600 + 40 * 60 : null,
    NumberOfCapacities: 1,
    IsMarkedForDeletion: false,
    to_MaintOrderOpComponent: components,
  };
}
