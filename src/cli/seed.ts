import { loadSeed } from '../../seed/load-seed';
import { loadConfig } from '../config';
import { closeDatabase, openDatabase } from '../db/client';
import { runMigrations } from '../db/migrate';

const config = loadConfig();
const db = openDatabase(config.DATABASE_PATH);
runMigrations(db);
const report = loadSeed(db);
process.stdout.write(`Seed: ${report.created} created, ${report.unchanged} already present\n`);
closeDatabase(db);
