import { defineEntityType, fields, type EntityTypeDef } from '../model.js';

/**
 * API_MAINTENANCEORDER (CDS-based), after its OpenAPI document: the header's timestamps
 * (`LastChangeDateTime`, `MaintOrdBasicStartDateTime` …) are UTC short time stamps that the
 * service types as Edm.DateTime (`"/Date(1492098664000)/"`, no offset, second precision).
 */
const SERVICE = 'API_MAINTENANCEORDER';

export const maintenanceOrderType: EntityTypeDef = defineEntityType({
  service: SERVICE,
  typeName: 'MaintenanceOrderType',
  entitySet: 'MaintenanceOrder',
  keys: ['MaintenanceOrder'],
  properties: {
    ...fields(
      'String',
      `MaintenanceOrder MaintOrderRoutingNumber MaintenanceOrderType MaintenanceOrderDesc MaintenanceNotification
       OrdIsNotSchedldAutomatically ControllingArea MainWorkCenterInternalID MainWorkCenterTypeCode MainWorkCenter
       MainWorkCenterPlant WorkCenterInternalID WorkCenterTypeCode WorkCenter MaintenancePlanningPlant MaintenancePlant
       Assembly MaintOrdProcessPhaseCode MaintOrdProcessSubPhaseCode BusinessArea CompanyCode CostCenter FunctionalArea
       Equipment EquipmentName FunctionalLocation MaintenanceOrderPlanningCode MaintenancePlannerGroup
       MaintenanceActivityType MaintPriority MaintPriorityType ProfitCenter ResponsibleCostCenter MaintenanceRevision
       SerialNumber WBSElementInternalID ControllingObjectClass MaintenanceOrderInternalID AssetLocation AssetRoom
       PlantSection ABCIndicator BasicSchedulingType MaintOrdPersonResponsible CreatedByUser SystemStatusText
       UserStatusText TechnicalObject TechnicalObjectLabel TechObjIsEquipOrFuncnlLoc`,
    ),
    ...fields('Int64', 'MaintenanceObjectList'),
    ...fields(
      'DateTime',
      `MaintOrdBasicStartDateTime MaintOrdBasicEndDateTime MaintOrdBasicStartDate MaintOrdBasicEndDate
       MaintOrdSchedldBscStrtDateTime MaintOrdSchedldBscEndDateTime ScheduledBasicStartDate ScheduledBasicEndDate
       LatestAcceptableCompletionDate LastChangeDateTime`,
    ),
    ...fields('Time', 'MaintOrdBasicStartTime MaintOrdBasicEndTime ScheduledBasicStartTime ScheduledBasicEndTime'),
  },
  readOnly: `MaintOrderRoutingNumber MaintOrdProcessPhaseCode MaintOrdProcessSubPhaseCode MaintenanceOrderInternalID
    MaintenanceObjectList LastChangeDateTime CreatedByUser SystemStatusText UserStatusText TechnicalObject
    TechnicalObjectLabel TechObjIsEquipOrFuncnlLoc EquipmentName`,
  navigations: {
    to_MaintenanceOrderOperation: { target: () => maintenanceOrderOperationType, many: true },
  },
});

export const maintenanceOrderOperationType: EntityTypeDef = defineEntityType({
  service: SERVICE,
  typeName: 'MaintenanceOrderOperationType',
  entitySet: 'MaintenanceOrderOperation',
  keys: ['MaintenanceOrder', 'MaintenanceOrderOperation', 'MaintenanceOrderSubOperation'],
  properties: {
    ...fields(
      'String',
      `MaintenanceOrder MaintenanceOrderOperation MaintenanceOrderSubOperation OperationControlKey
       OperationWorkCenterInternalID WorkCenter Plant OperationStandardTextCode OperationDescription
       MaintOrdOperationDurationUnit MaintOrdOpWorkDurationUnit OperationPersonResponsible Equipment FunctionalLocation
       MaintenanceActivityType MaintOrdOpProcessPhaseCode MaintOrdOpProcessSubPhaseCode SystemStatusText UserStatusText
       MaintOrderOperationInternalID`,
    ),
    ...fields('Decimal', 'MaintOrderOperationDuration MaintOrdOperationWorkDuration ForecastWorkQuantity ActualWorkQuantity'),
    ...fields('DateTime', 'OpErlstSchedldExecStrtDte OpErlstSchedldExecEndDte OpActualExecutionStartDate OpActualExecutionEndDate'),
    ...fields('Time', 'OpErlstSchedldExecStrtTme OpErlstSchedldExecEndTme OpActualExecutionStartTime OpActualExecutionEndTime'),
    ...fields('Int32', 'NumberOfCapacities'),
    ...fields('Boolean', 'IsMarkedForDeletion'),
  },
  readOnly: 'SystemStatusText UserStatusText MaintOrderOperationInternalID ActualWorkQuantity',
  navigations: {
    to_MaintOrderOpComponent: { target: () => maintenanceOrderComponentType, many: true },
  },
});

export const maintenanceOrderComponentType: EntityTypeDef = defineEntityType({
  service: SERVICE,
  typeName: 'MaintOrderOpComponentType',
  entitySet: 'MaintenanceOrderComponent',
  keys: ['MaintenanceOrder', 'MaintenanceOrderOperation', 'MaintenanceOrderSubOperation', 'MaintenanceOrderComponent'],
  properties: {
    ...fields(
      'String',
      `MaintenanceOrder MaintenanceOrderOperation MaintenanceOrderSubOperation MaintenanceOrderComponent Reservation
       ReservationItem Product MaintOrdOperationComponentText BaseUnit Plant StorageLocation MaintOrdOpCompItemCategory
       GoodsMovementType MaintOrdOpComponentCurrency MaintenanceOrderComponentBatch`,
    ),
    ...fields('Decimal', 'MaintOrdOpCompRequiredQuantity MaintOrderOpComponentPrice'),
    ...fields('DateTime', 'RequirementDate'),
    ...fields('Boolean', 'ReservationIsFinallyIssued GoodsMovementIsAllowed'),
  },
  readOnly: 'Reservation ReservationItem',
  navigations: {},
});
