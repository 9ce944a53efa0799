import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);

/** Compiles a JSON Schema with ajv, loaded on first use: most lint runs read no file that needs one. */
export function compileSchema(schema: object): ValidateFunction {
  const { Ajv } = require('ajv') as typeof import('ajv');
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}
