/**
 * The acronym table as persisted with the index: only the long forms the table keeps (its entries), each with
 * its summed count, so loading it and computing its lookup view takes milliseconds instead of seconds. A table
 * made from this JSON answers `expand`, `longFormsOf` and `shortFormsOf` exactly as the full one: every kept long
 * form keeps its count and share (the total only shrinks), and at most `maxLongForms` were kept per short form.
 */
import { AcronymTable, type AcronymTableJSON, type AcronymViewJSON } from './acronyms.ts';

export function keptAcronymsJSON(table: AcronymTable): AcronymTableJSON {
  const pairs: [string, string, number][] = [];
  for (const entry of table.entries())
    for (const { long, count } of entry.longForms) pairs.push([entry.display, long, count]);
  return { version: 1, pairs };
}

/**
 * What the index file stores: the lookup view of the table `keptAcronymsJSON` makes (what every process used to rebuild
 * from those pairs on load), computed once, where the index is built.
 */
export function persistedAcronymsJSON(table: AcronymTable): AcronymViewJSON {
  return AcronymTable.fromJSON(keptAcronymsJSON(table)).viewJSON();
}
