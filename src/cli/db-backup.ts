import { runDatabaseFileCommand } from './db-file';

process.exitCode = await runDatabaseFileCommand('backup', process.argv.slice(2));
