/**
 * Generates docs/model.md: the conventions, then one section per entity with a table of every
 * field (type, null, writes, meaning), its child records, and its example record; then the shared
 * records and every enum with the meaning of each value.
 */
import { ENTITY_NAMES, ENTITY_PLURALS, isEntityName, type EntityName } from '../entities.js';
import { exampleRecord } from '../examples/index.js';
import { ENUMS, entityModels, type FieldDef, type FieldType, type RecordDef } from '../model/index.js';
import { WRITABLE_ENTITIES } from '../validation/writable-entities.js';
import { conventionsSection, introSection, whereRecordsGoSection } from './conventions.js';

const DECIMAL_UNITS: Record<string, string> = { money: 'decimal (money)', quantity: 'decimal (quantity)', rate: 'decimal (rate)', hours: 'decimal (hours)', number: 'decimal' };

const anchor = (name: string) => `#${name.toLowerCase()}`;

function typeLabel(type: FieldType): string {
  switch (type.kind) {
    case 'id':
      if (!type.references) return 'id';
      return isEntityName(type.references) ? `id → [${entityModels[type.references].name}](${anchor(entityModels[type.references].name)})` : `id → ${type.references}`;
    case 'enum':
      return `[${type.enum.name}](${anchor(type.enum.name)})`;
    case 'decimal':
      return DECIMAL_UNITS[type.unit]!;
    case 'code':
      return type.pattern ? `code (${type.pattern.hint.replace(/^an? /, '').replace(/, e\.g\..*$/, '')})` : 'code';
    case 'long':
      return 'int64';
    case 'string_map':
      return 'map text → text';
    case 'json':
      return 'JSON text';
    case 'list':
      return type.of === 'id' ? 'list of ids' : 'list of text';
    case 'record':
      return `[${type.record.name}](${anchor(type.record.name)})`;
    case 'records':
      return `list of [${type.record.name}](${anchor(type.record.name)})`;
    default:
      return type.kind;
  }
}

function nullLabel(field: FieldDef): string {
  if (field.nullable || field.type.kind === 'record') return 'yes';
  if (field.type.kind === 'boolean') return 'no (false)';
  if (field.type.kind === 'list' || field.type.kind === 'records') return 'no ([])';
  if (field.type.kind === 'string_map') return 'no ({})';
  return 'no';
}

function writeLabel(field: FieldDef): string {
  if (!field.write) return '';
  const access = field.write === 'create' ? 'create' : 'create, update';
  return field.requiredOnCreate ? `${access} (required)` : access;
}

/** Table cell text: pipes and asterisks (YY1_*, custbody*) are literal, not markup. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\*/g, '\\*').replace(/\n/g, ' ');

function fieldTable(fields: FieldDef[], withWrites: boolean): string {
  const header = withWrites ? '| field | type | null | writes | meaning |\n|---|---|---|---|---|' : '| field | type | null | meaning |\n|---|---|---|---|';
  const rows = fields.map((field) => {
    const meaning = field.envelope ? `${cell(field.doc)} *(envelope, set by the ${field.envelope})*` : cell(field.doc);
    const cells = [`\`${field.name}\``, typeLabel(field.type), nullLabel(field), ...(withWrites ? [writeLabel(field)] : []), meaning];
    return `| ${cells.join(' | ')} |`;
  });
  return `${header}\n${rows.join('\n')}`;
}

/** Records nested in these fields, in first-use order. */
function nestedRecords(fields: FieldDef[], found = new Map<string, RecordDef>()): Map<string, RecordDef> {
  for (const field of fields) {
    if (field.type.kind === 'record' || field.type.kind === 'records') {
      if (!found.has(field.type.record.name)) {
        found.set(field.type.record.name, field.type.record);
        nestedRecords(field.type.record.fields, found);
      }
    }
  }
  return found;
}

const SHARED = new Set(['Address', 'EmailAddress', 'PhoneNumber', 'Assignee']);

function recordSection(record: RecordDef, withWrites: boolean): string {
  return `### ${record.name}\n\n${record.doc}\n\n${fieldTable(record.fields, withWrites)}`;
}

/** The example record with its keys in the model's field order, as the tables list them. */
function inFieldOrder(entity: EntityName): Record<string, unknown> {
  const example = exampleRecord(entity) as unknown as Record<string, unknown>;
  return Object.fromEntries(entityModels[entity].fields.map((field) => [field.name, example[field.name]]));
}

function entitySection(entity: EntityName): string {
  const model = entityModels[entity];
  const writable = (WRITABLE_ENTITIES as readonly string[]).includes(entity);
  const children = [...nestedRecords(model.fields).values()].filter((record) => !SHARED.has(record.name));
  const oneOf = model.createRequiresOneOf?.map((group) => `Creating one requires one of ${group.map((name) => `\`${name}\``).join(' or ')}.`).join(' ') ?? '';
  return [
    `## ${model.name}`,
    `${model.doc}`,
    `Entity \`${entity}\` · topic \`<prefix>unified.${ENTITY_PLURALS[entity]}\` · table \`${ENTITY_PLURALS[entity]}\`${writable ? ' · writable through the API' : ''}. ${oneOf}`.trim(),
    fieldTable(model.fields, writable),
    ...children.map((record) => recordSection(record, writable)),
    `<details><summary>Example ${model.name}</summary>\n\n\`\`\`json\n${JSON.stringify(inFieldOrder(entity), null, 2)}\n\`\`\`\n\n</details>`,
  ].join('\n\n');
}

function sharedSection(): string {
  const shared = new Map<string, RecordDef>();
  for (const entity of ENTITY_NAMES) {
    for (const [name, record] of nestedRecords(entityModels[entity].fields)) if (SHARED.has(name)) shared.set(name, record);
  }
  return [
    '## Shared records',
    'Records used by several entities. Their *writes* column applies where the entity itself is writable.',
    ...[...shared.values()].map((record) => recordSection(record, true)),
  ].join('\n\n');
}

function enumSection(): string {
  const sections = ENUMS.map((definition) => {
    const rows = definition.values.map((value) => `| \`${value.value}\` | ${cell(value.doc)} |`).join('\n');
    return `### ${definition.name}\n\n${definition.doc}\n\n| value | meaning |\n|---|---|\n${rows}`;
  });
  return ['## Enums', 'Canonical values. The source\'s own value is kept beside each (`remote_status`, `remote_priority`, `remote_type`).', ...sections].join('\n\n');
}

export function modelMarkdown(): string {
  const sections = [introSection(), conventionsSection(), whereRecordsGoSection(), ...ENTITY_NAMES.map(entitySection), sharedSection(), enumSection()];
  return `${sections.map((section) => section.trim()).join('\n\n')}\n`;
}
