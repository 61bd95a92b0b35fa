export { type CatalogueResult, catalogueCopiesDir, findCatalogue, inspectCatalogue, mapProjectFolders, reserveCatalogueCopy, type CatalogueStatus } from './catalogue.ts';
