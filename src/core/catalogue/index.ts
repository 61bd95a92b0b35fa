export { type CatalogueResult, findCatalogue, inspectCatalogue, refreshCatalogue } from './catalogue.ts';
