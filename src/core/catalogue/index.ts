export {
  type CatalogueResult,
  catalogueCopiesDir,
  findCatalogue,
  inspectCatalogue,
  mapProjectFolders,
  PINNED_SECTION,
  readThreadMarks,
  reserveCatalogueCopy,
  type CatalogueStatus,
} from './catalogue.ts';
export { type CatalogueThread, type CatalogueThreads, readCatalogueThreads } from './threadRows.ts';
