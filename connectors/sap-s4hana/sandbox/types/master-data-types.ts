import { defineEntityType, fields, type EntityTypeDef } from '../model.js';

/** API_EQUIPMENT: time-dependent equipment, keyed by number and the end of its validity segment. */
export const equipmentType: EntityTypeDef = defineEntityType({
  service: 'API_EQUIPMENT',
  typeName: 'EquipmentType',
  entitySet: 'Equipment',
  keys: ['Equipment', 'ValidityEndDate'],
  properties: {
    ...fields(
      'String',
      `Equipment EquipmentName EquipmentCategory TechnicalObjectType GrossWeightUnit SizeOrDimensionText InventoryNumber
       Currency AssetManufacturerName ManufacturerPartTypeName ManufacturerCountry ConstructionYear ConstructionMonth
       ManufacturerPartNmbr ManufacturerSerialNumber MaintenancePlant AssetLocation AssetRoom PlantSection WorkCenter
       WorkCenterPlant CompanyCode CostCenter MaintenancePlanningPlant MaintenancePlannerGroup MainWorkCenter
       MainWorkCenterPlant FunctionalLocation FunctionalLocationName SuperordinateEquipment Material SerialNumber
       ABCIndicator CreatedByUser LastChangedByUser`,
    ),
    ...fields('Decimal', 'GrossWeight AcquisitionValue'),
    ...fields('DateTime', 'ValidityEndDate ValidityStartDate OperationStartDate AcquisitionDate CreationDate LastChangeDateTime'),
    ...fields('Time', 'ValidityEndTime'),
    ...fields(
      'Boolean',
      `EquipmentIsAvailable EquipmentIsInstalled EquipIsAllocToSuperiorEquip EquipHasSubOrdinateEquipment
       EquipmentIsMarkedForDeletion EquipmentIsInactive`,
    ),
  },
  readOnly: 'CreationDate LastChangeDateTime CreatedByUser LastChangedByUser',
  navigations: {},
});

/** API_BUSINESS_PARTNER: A_BusinessPartner with addresses and tax numbers, and the A_Supplier role. */
export const businessPartnerType: EntityTypeDef = defineEntityType({
  service: 'API_BUSINESS_PARTNER',
  typeName: 'A_BusinessPartnerType',
  entitySet: 'A_BusinessPartner',
  keys: ['BusinessPartner'],
  properties: {
    ...fields(
      'String',
      `BusinessPartner Customer Supplier BusinessPartnerCategory BusinessPartnerFullName BusinessPartnerGrouping
       BusinessPartnerName BusinessPartnerType CorrespondenceLanguage CreatedByUser LastChangedByUser Industry
       OrganizationBPName1 OrganizationBPName2 SearchTerm1 SearchTerm2 ETag`,
    ),
    ...fields('DateTime', 'CreationDate LastChangeDate'),
    ...fields('Time', 'CreationTime LastChangeTime'),
    ...fields('Boolean', 'BusinessPartnerIsBlocked IsNaturalPerson IsMarkedForArchiving'),
  },
  readOnly: 'CreatedByUser CreationDate CreationTime LastChangedByUser LastChangeDate LastChangeTime ETag',
  navigations: {
    to_BusinessPartnerAddress: { target: () => businessPartnerAddressType, many: true },
    to_BusinessPartnerTax: { target: () => businessPartnerTaxType, many: true },
  },
});

export const businessPartnerAddressType: EntityTypeDef = defineEntityType({
  service: 'API_BUSINESS_PARTNER',
  typeName: 'A_BusinessPartnerAddressType',
  entitySet: 'A_BusinessPartnerAddress',
  keys: ['BusinessPartner', 'AddressID'],
  properties: fields('String', 'BusinessPartner AddressID StreetName HouseNumber CityName PostalCode Region Country Language'),
  navigations: {
    to_EmailAddress: { target: () => emailAddressType, many: true },
    to_PhoneNumber: { target: () => phoneNumberType, many: true },
  },
});

export const emailAddressType: EntityTypeDef = defineEntityType({
  service: 'API_BUSINESS_PARTNER',
  typeName: 'A_AddressEmailAddressType',
  entitySet: 'A_AddressEmailAddress',
  keys: ['AddressID', 'Person', 'OrdinalNumber'],
  properties: {
    ...fields('String', 'AddressID Person OrdinalNumber EmailAddress SearchEmailAddress'),
    ...fields('Boolean', 'IsDefaultEmailAddress'),
  },
  navigations: {},
});

export const phoneNumberType: EntityTypeDef = defineEntityType({
  service: 'API_BUSINESS_PARTNER',
  typeName: 'A_AddressPhoneNumberType',
  entitySet: 'A_AddressPhoneNumber',
  keys: ['AddressID', 'Person', 'OrdinalNumber'],
  properties: {
    ...fields('String', 'AddressID Person OrdinalNumber DestinationLocationCountry PhoneNumber PhoneNumberExtension InternationalPhoneNumber PhoneNumberType'),
    ...fields('Boolean', 'IsDefaultPhoneNumber'),
  },
  navigations: {},
});

export const businessPartnerTaxType: EntityTypeDef = defineEntityType({
  service: 'API_BUSINESS_PARTNER',
  typeName: 'A_BusinessPartnerTaxNumberType',
  entitySet: 'A_BusinessPartnerTaxNumber',
  keys: ['BusinessPartner', 'BPTaxType'],
  properties: fields('String', 'BusinessPartner BPTaxType BPTaxNumber BPTaxLongNumber'),
  navigations: {},
});

export const supplierType: EntityTypeDef = defineEntityType({
  service: 'API_BUSINESS_PARTNER',
  typeName: 'A_SupplierType',
  entitySet: 'A_Supplier',
  keys: ['Supplier'],
  properties: {
    ...fields(
      'String',
      `Supplier AlternativePayeeAccountNumber AuthorizationGroup CreatedByUser Customer SupplierAccountGroup SupplierFullName
       SupplierName VATRegistration Industry SupplierCorporateGroup SupplierProcurementBlock YY1_SupplierRating_PDH`,
    ),
    ...fields('DateTime', 'CreationDate BirthDate'),
    ...fields('Boolean', 'PaymentIsBlockedForSupplier PostingIsBlocked PurchasingIsBlocked DeletionIndicator IsNaturalPerson'),
  },
  readOnly: 'CreatedByUser CreationDate',
  navigations: {
    to_SupplierCompany: { target: () => supplierCompanyType, many: true },
    to_SupplierPurchasingOrg: { target: () => supplierPurchasingOrgType, many: true },
  },
});

export const supplierCompanyType: EntityTypeDef = defineEntityType({
  service: 'API_BUSINESS_PARTNER',
  typeName: 'A_SupplierCompanyType',
  entitySet: 'A_SupplierCompany',
  keys: ['Supplier', 'CompanyCode'],
  properties: {
    ...fields('String', 'Supplier CompanyCode PaymentTerms ReconciliationAccount PaymentMethodsList AccountingClerk'),
    ...fields('Boolean', 'PaymentIsBlockedForSupplier PostingIsBlocked DeletionIndicator'),
  },
  navigations: {},
});

export const supplierPurchasingOrgType: EntityTypeDef = defineEntityType({
  service: 'API_BUSINESS_PARTNER',
  typeName: 'A_SupplierPurchasingOrgType',
  entitySet: 'A_SupplierPurchasingOrg',
  keys: ['Supplier', 'PurchasingOrganization'],
  properties: {
    ...fields('String', 'Supplier PurchasingOrganization PurchaseOrderCurrency PaymentTerms IncotermsClassification IncotermsLocation1 SupplierPhoneNumber SupplierRespSalesPersonName'),
    ...fields('Boolean', 'PurchasingIsBlockedForSupplier DeletionIndicator'),
  },
  navigations: {},
});
