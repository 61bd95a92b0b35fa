export { type CatalogueResult, catalogueCopiesDir, findCatalogue, inspectCatalogue, refreshCatalogue, reserveCatalogueCopy } from './catalogue.ts';
