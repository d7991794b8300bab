// Reads a JSON file of statements, [{"name": "...", "sql": "..."}], and writes to stdout, for each, the syntax errors
// dt-sql-parser's SparkSQL grammar finds: [{"name": "...", "errors": [{"line": 1, "column": 8, "message": "..."}]}].
// Usage: node check.mjs statements.json
import { register } from 'node:module';
import { readFileSync } from 'node:fs';

register('./resolve.mjs', import.meta.url);
const { SparkSQL } = await import('dt-sql-parser');
const spark = new SparkSQL();
const statements = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const results = statements.map(({ name, sql }) => ({
  name,
  errors: spark.validate(sql).map(error => ({ line: error.startLine, column: error.startColumn, message: error.message })),
}));
process.stdout.write(JSON.stringify(results));
