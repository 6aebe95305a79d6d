// Values removed after they were written: the vk and its data cells are written as a live value
// would be, then marked free (positive size) with their bytes left as they were, and the key's
// values list does not point at them. That is the state Windows leaves until the space is
// reused, so a reader must find such a value only by scanning unallocated cells
// (reglookup-recover, our deleted-cell recovery), never through the key.

import type { CellAllocator } from './cells';
import { type HiveValue, writeValue } from './key-value';

export interface DeletedValuePlace {
  /** The key's path from the root, '\'-separated, without the root's name. */
  keyPath: string;
  name: string;
  /** Hive-bins-relative offset of the freed vk cell. */
  vkCell: number;
}

export function writeDeletedValues(cells: CellAllocator, keyPath: string, values: readonly HiveValue[]): DeletedValuePlace[] {
  return values.map((v) => {
    const w = writeValue(cells, v);
    for (const c of w.cells) cells.free(c);
    return { keyPath, name: v.name, vkCell: w.vk };
  });
}
