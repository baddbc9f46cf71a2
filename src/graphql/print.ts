// The text of schema.graphql, printed from the code-first schema.
import { printSchema } from 'graphql';
import { schema } from './schema/index.js';

export function printSchemaFile(): string {
  return `# Generated from the code by \`npm run schema:print\`; do not edit.\n\n${printSchema(schema)}\n`;
}
