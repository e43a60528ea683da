// Storages the benchmark can run crmkit on, by the name given to --storage. A later adapter
// (sqlite, postgres) plugs in here: one entry that opens a Crm on it.
import { createCrm, type Crm } from 'crmkit';

export interface StorageChoice {
  /** What the report says about it. */
  description: string;
  /** A new, empty Crm on this storage. */
  open(): Promise<Crm>;
}

export const STORAGES: Readonly<Record<string, StorageChoice>> = {
  memory: { description: 'memory (the default: await createCrm())', open: () => createCrm() },
};
