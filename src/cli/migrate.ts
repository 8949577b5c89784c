import { loadConfig } from '../config';
import { closeDatabase, openDatabase } from '../db/client';
import { appliedMigrationCount, runMigrations } from '../db/migrate';

const config = loadConfig();
const db = openDatabase(config.DATABASE_PATH);
runMigrations(db);
process.stdout.write(`${config.DATABASE_PATH}: ${appliedMigrationCount(db)} migrations applied\n`);
closeDatabase(db);
