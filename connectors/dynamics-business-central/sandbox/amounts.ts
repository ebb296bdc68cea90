import type { BcPurchaseInvoice, BcPurchaseInvoiceLine, BcPurchaseOrder, BcPurchaseOrderLine } from '../raw-types.js';
import { round2 } from './clock.js';

/** Recomputes a line's derived amounts the way Business Central does (line discount, then tax). */
export function computeLineAmounts<L extends BcPurchaseOrderLine | BcPurchaseInvoiceLine>(line: L): L {
  if (line.lineType === 'Comment') {
    return { ...line, quantity: 0, directUnitCost: 0, discountAmount: 0, amountExcludingTax: 0, totalTaxAmount: 0, amountIncludingTax: 0, netAmount: 0, netTaxAmount: 0, netAmountIncludingTax: 0 };
  }
  const gross = line.quantity * line.directUnitCost;
  const discountAmount = round2((gross * line.discountPercent) / 100);
  const amountExcludingTax = round2(gross - discountAmount);
  const totalTaxAmount = round2((amountExcludingTax * line.taxPercent) / 100);
  const amountIncludingTax = round2(amountExcludingTax + totalTaxAmount);
  return {
    ...line,
    discountAmount,
    amountExcludingTax,
    totalTaxAmount,
    amountIncludingTax,
    netAmount: amountExcludingTax,
    netTaxAmount: totalTaxAmount,
    netAmountIncludingTax: amountIncludingTax,
  };
}

/** Header totals and `fullyReceived` from the lines. */
export function withOrderTotals(order: BcPurchaseOrder, lines: BcPurchaseOrderLine[]): BcPurchaseOrder {
  const quantityLines = lines.filter((line) => line.lineType !== 'Comment');
  return {
    ...order,
    totalAmountExcludingTax: round2(lines.reduce((sum, line) => sum + line.amountExcludingTax, 0)),
    totalTaxAmount: round2(lines.reduce((sum, line) => sum + line.totalTaxAmount, 0)),
    totalAmountIncludingTax: round2(lines.reduce((sum, line) => sum + line.amountIncludingTax, 0)),
    fullyReceived: quantityLines.length > 0 && quantityLines.every((line) => line.receivedQuantity >= line.quantity),
  };
}

export function withInvoiceTotals(invoice: BcPurchaseInvoice, lines: BcPurchaseInvoiceLine[]): BcPurchaseInvoice {
  return {
    ...invoice,
    totalAmountExcludingTax: round2(lines.reduce((sum, line) => sum + line.amountExcludingTax, 0)),
    totalTaxAmount: round2(lines.reduce((sum, line) => sum + line.totalTaxAmount, 0)),
    totalAmountIncludingTax: round2(lines.reduce((sum, line) => sum + line.amountIncludingTax, 0)),
  };
}
