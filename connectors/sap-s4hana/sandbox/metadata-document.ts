import type { EntityTypeDef } from './model.js';

/**
 * A reduced `$metadata` (EDMX) for a service: entity types with keys, properties, SAP's
 * creatable/updatable flags and navigation properties; enough for tools that read metadata.
 */
export function metadataDocument(service: string, types: EntityTypeDef[]): string {
  const entityTypes = types
    .map((type) => {
      const keys = type.keys.map((key) => `<PropertyRef Name="${key}"/>`).join('');
      const properties = Object.entries(type.properties)
        .map(([name, edm]) => {
          const flags = type.readOnly.has(name) ? ' sap:creatable="false" sap:updatable="false"' : '';
          const nullable = type.keys.includes(name) ? ' Nullable="false"' : '';
          return `<Property Name="${name}" Type="Edm.${edm}"${nullable}${flags}/>`;
        })
        .join('');
      const navigations = Object.entries(type.navigations)
        .map(([name, nav]) => `<NavigationProperty Name="${name}" Relationship="${service}.assoc_${type.typeName}_${name}" FromRole="From" ToRole="To${nav.many ? 'Many' : 'One'}"/>`)
        .join('');
      return `<EntityType Name="${type.typeName}" sap:content-version="1"><Key>${keys}</Key>${properties}${navigations}</EntityType>`;
    })
    .join('');
  const sets = types.map((type) => `<EntitySet Name="${type.entitySet}" EntityType="${service}.${type.typeName}"/>`).join('');
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" xmlns:sap="http://www.sap.com/Protocols/SAPData">' +
    `<edmx:DataServices m:DataServiceVersion="2.0"><Schema Namespace="${service}" xml:lang="en" sap:schema-version="1" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">` +
    `${entityTypes}<EntityContainer Name="${service}_Entities" m:IsDefaultEntityContainer="true">${sets}</EntityContainer>` +
    '</Schema></edmx:DataServices></edmx:Edmx>'
  );
}

/** Entity types reachable from the given roots through navigation properties. */
export function reachableTypes(roots: EntityTypeDef[]): EntityTypeDef[] {
  const seen = new Map<string, EntityTypeDef>();
  const visit = (type: EntityTypeDef) => {
    if (seen.has(type.typeName)) return;
    seen.set(type.typeName, type);
    for (const navigation of Object.values(type.navigations)) visit(navigation.target());
  };
  roots.forEach(visit);
  return [...seen.values()];
}
