/**
 * custom_fields is a map of strings: a source's custom fields may hold any JSON value, and one
 * Avro map type and one ClickHouse Map(String, String) column must hold them all. Strings are kept
 * as they are; any other value becomes its JSON text (42 → "42", true → "true", null → "null",
 * {"a":1} → "{\"a\":1}"), so nothing is lost and a reader can JSON.parse what is not a string.
 */
export function customFieldValue(value: unknown): string {
  if (typeof value === 'string') return value;
  // undefined has no JSON text; a missing value is stored as JSON null.
  return JSON.stringify(value ?? null);
}

/**
 * For mappers: the custom fields of a raw source record, picked by name (SAP `YY1_`, NetSuite
 * `custbody`/`custcol`), each value converted by customFieldValue.
 */
export function pickCustomFields(raw: Record<string, unknown>, isCustom: (name: string) => boolean): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (isCustom(name)) picked[name] = customFieldValue(value);
  }
  return picked;
}
