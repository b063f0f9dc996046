/** What every use case and route receives: the database, the configuration, the clock and the calendars. */
import type { Kysely } from 'kysely';
import type { CalendarStore } from '../calendar/store.js';
import type { Config } from './config.js';
import type { Database } from './db.js';
import type { DB } from './db-types.js';

export interface AppContext {
  database: Database;
  db: Kysely<DB>;
  config: Config;
  /** The clock; tests replace it to place actions at chosen instants. */
  now(): Date;
  calendars: CalendarStore;
}
