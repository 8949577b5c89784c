import { runDatabaseFileCommand } from './db-file';

process.exitCode = await runDatabaseFileCommand('restore', process.argv.slice(2));
