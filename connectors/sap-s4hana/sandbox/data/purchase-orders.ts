import { decimalBetween, intBetween, pick, seededRandom } from '../../../sandbox-kit/seeded.js';
import { dateOnly, MS_PER_DAY } from '../edm.js';
import type { SandboxRecord } from '../model.js';
import {
  COMPANY_CODE,
  currencyDecimals,
  ITEM_TEXTS,
  partnerIndexOfSupplier,
  PLANT,
  productNumber,
  purchaseOrderNumber,
  businessPartnerNumber,
  STORAGE_LOCATIONS,
  supplierCount,
  type GeneratorContext,
} from './catalog.js';

/**
 * Purchase orders as API_PURCHASEORDER_PROCESS_SRV holds them. Generated in groups of three
 * sharing a change time: the first two tie to the microsecond (order falls back to the key), the
 * third is 250 µs later, inside the same JSON millisecond. Change times never decrease with the
 * index, so the (LastChangeDateTime, PurchaseOrder) index is the generation order.
 */
const GROUP_STEP_MICROS = 40_000_000;

export function purchaseOrderChangeMicros(context: GeneratorContext, index: number): number {
  const group = Math.floor(index / 3);
  return context.baseMs * 1000 + group * GROUP_STEP_MICROS + (index % 3 === 2 ? 250 : 0);
}

const STATUS_WEIGHTS: [string, number][] = [
  ['02', 70],
  ['05', 10],
  ['03', 8],
  ['01', 7],
  ['08', 5],
];

function weightedStatus(random: () => number): string {
  let roll = random() * 100;
  for (const [status, weight] of STATUS_WEIGHTS) {
    roll -= weight;
    if (roll < 0) return status;
  }
  return '02';
}

function currencyOf(index: number): string {
  if (index % 23 === 0) return 'JPY';
  if (index % 10 === 9) return 'EUR';
  return 'USD';
}

export function generatePurchaseOrder(context: GeneratorContext, index: number): SandboxRecord {
  const random = seededRandom(context.seed ^ 0x5a17, index);
  const number = purchaseOrderNumber(index);
  const changedMicros = purchaseOrderChangeMicros(context, index);
  const createdMs = dateOnly(Math.floor(changedMicros / 1000) - intBetween(random, 0, 20) * MS_PER_DAY);
  const currency = currencyOf(index);
  const status = weightedStatus(random);
  const deletion = index % 50 === 13 ? 'L' : index % 97 === 5 ? 'S' : '';
  const suppliers = Math.max(1, supplierCount(context.sizes.businessPartners));
  const supplier = businessPartnerNumber(partnerIndexOfSupplier(intBetween(random, 0, suppliers - 1)));
  const delivered = status === '02' || status === '05' ? random() : 0;
  const items: SandboxRecord[] = [];
  for (let line = 1; line <= context.itemsPerOrder; line++) {
    items.push(generateItem(context, random, number, line, currency, createdMs, deletion === 'L' ? 'L' : '', delivered));
  }
  return {
    PurchaseOrder: number,
    CompanyCode: COMPANY_CODE,
    PurchaseOrderType: 'NB',
    PurchasingDocumentDeletionCode: deletion,
    PurchasingProcessingStatus: status,
    CreatedByUser: pick(random, ['CB9980000010', 'CB9980000024', 'PURCHASER_01']),
    CreationDate: createdMs,
    LastChangeDateTime: changedMicros,
    Supplier: supplier,
    PurchaseOrderSubtype: '',
    Language: 'EN',
    PaymentTerms: pick(random, ['0001', '0002', '0004']),
    CashDiscount1Days: '0',
    CashDiscount2Days: '0',
    NetPaymentDays: '30',
    CashDiscount1Percent: '0.000',
    CashDiscount2Percent: '0.000',
    PurchasingOrganization: '1710',
    PurchasingDocumentOrigin: '9',
    PurchasingGroup: pick(random, ['001', '002', '003']),
    PurchaseOrderDate: createdMs,
    DocumentCurrency: currency,
    ExchangeRate: currency === 'USD' ? '1.00000' : currency === 'EUR' ? '1.08450' : '0.00670',
    ExchangeRateIsFixed: false,
    ValidityStartDate: null,
    ValidityEndDate: null,
    SupplierQuotationExternalID: '',
    PurchasingCollectiveNumber: '',
    SupplierRespSalesPersonName: '',
    SupplierPhoneNumber: '',
    SupplyingSupplier: '',
    SupplyingPlant: '',
    IncotermsClassification: pick(random, ['EXW', 'FOB', 'CIF', 'DAP']),
    CorrespncExternalReference: index % 4 === 0 ? `REF-${100000 + index}` : '',
    CorrespncInternalReference: '',
    InvoicingParty: supplier,
    ReleaseIsNotCompleted: status === '03',
    PurchasingCompletenessStatus: false,
    IncotermsVersion: '2010',
    IncotermsLocation1: pick(random, ['Palo Alto', 'Chicago', 'Houston']),
    IncotermsLocation2: '',
    ManualSupplierAddressID: '',
    IsEndOfPurposeBlocked: '',
    AddressCityName: '',
    AddressFaxNumber: '',
    AddressHouseNumber: '',
    AddressName: '',
    AddressPostalCode: '',
    AddressStreetName: '',
    AddressPhoneNumber: '',
    AddressRegion: '',
    AddressCountry: '',
    AddressCorrespondenceLanguage: '',
    YY1_ProjectCode_PDH: index % 5 === 0 ? `PRJ-${(index % 37) + 100}` : '',
    to_PurchaseOrderItem: items,
    to_PurchaseOrderNote: [],
  };
}

function generateItem(
  context: GeneratorContext,
  random: () => number,
  purchaseOrder: string,
  line: number,
  currency: string,
  createdMs: number,
  deletion: string,
  delivered: number,
): SandboxRecord {
  const itemNumber = String(line * 10);
  const decimals = currencyDecimals(currency);
  const price = decimals === 0 ? String(intBetween(random, 100, 90000)) : decimalBetween(random, 0.5, 950, decimals);
  const priceUnitRoll = random();
  const unit = pick(random, ['PC', 'PC', 'EA', 'KG', 'L']);
  const quantity = `${intBetween(random, 1, 400)}.000`;
  const product = productNumber(intBetween(random, 0, Math.max(0, context.sizes.products - 1)));
  const deliveryMs = createdMs + intBetween(random, 7, 60) * MS_PER_DAY;
  const completelyDelivered = delivered > 0.5 || (delivered > 0.25 && line === 1);
  return {
    PurchaseOrder: purchaseOrder,
    PurchaseOrderItem: itemNumber,
    PurchasingDocumentDeletionCode: deletion,
    PurchaseOrderItemText: pick(random, ITEM_TEXTS),
    Plant: PLANT,
    StorageLocation: pick(random, STORAGE_LOCATIONS),
    MaterialGroup: pick(random, ['L001', 'L002', 'P001']),
    PurchasingInfoRecord: '',
    SupplierMaterialNumber: random() < 0.3 ? `SUP-${intBetween(random, 1000, 9999)}` : '',
    OrderQuantity: quantity,
    PurchaseOrderQuantityUnit: unit,
    OrderPriceUnit: unit,
    OrderPriceUnitToOrderUnitNmrtr: '1',
    OrdPriceUnitToOrderUnitDnmntr: '1',
    DocumentCurrency: currency,
    NetPriceAmount: price,
    NetPriceQuantity: priceUnitRoll < 0.1 ? '100' : priceUnitRoll < 0.2 ? '10' : '1',
    TaxCode: 'P1',
    TaxDeterminationDate: createdMs,
    TaxCountry: 'US',
    IsCompletelyDelivered: completelyDelivered,
    IsFinallyInvoiced: completelyDelivered && delivered > 0.8,
    PurchaseOrderItemCategory: '0',
    AccountAssignmentCategory: random() < 0.2 ? 'K' : '',
    GoodsReceiptIsExpected: true,
    InvoiceIsExpected: true,
    InvoiceIsGoodsReceiptBased: true,
    PurchaseContract: '',
    PurchaseContractItem: '0',
    PurchaseRequisition: '',
    PurchaseRequisitionItem: '0',
    IsReturnsItem: false,
    RequisitionerName: '',
    Material: random() < 0.9 ? product : '',
    ManufacturerMaterial: '',
    ProductType: '1',
    Batch: '',
    YY1_CostObject_PDI: random() < 0.2 ? `CC-${intBetween(random, 17101000, 17101999)}` : '',
    to_ScheduleLine: [
      {
        PurchasingDocument: purchaseOrder,
        PurchasingDocumentItem: itemNumber,
        ScheduleLine: '1',
        DelivDateCategory: '1',
        ScheduleLineDeliveryDate: deliveryMs,
        SchedLineStscDeliveryDate: deliveryMs,
        ScheduleLineDeliveryTime: 0,
        PurchaseOrderQuantityUnit: unit,
        ScheduleLineOrderQuantity: quantity,
        ScheduleLineCommittedQuantity: '0.000',
      },
    ],
  };
}
