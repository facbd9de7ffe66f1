/** Office databases for tests: opened fresh and migrated, disposed tidily (see databases.ts). */
import type { Dialect } from '../../../src/lib/server/db/connection';
import { freshOffice, type TestOffice } from './databases';

export const openOffice = (dialect: Dialect): Promise<TestOffice> => freshOffice(dialect);
export const closeOffice = (office: TestOffice): Promise<void> => office.dispose();
