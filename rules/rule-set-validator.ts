import Ajv2020 from 'ajv/dist/2020';
import { ruleSetSchema } from './rule-set.schema';

/**
 * The compiled JSON Schema validator of rule sets. ajv compiles schemas into functions with
 * `new Function`, which the web app's Content-Security-Policy forbids; the editor's build
 * replaces this module with the same validator generated ahead of time by ajv's standalone mode
 * (editor/generate-validator.ts), with the same options.
 */
export const RULE_SET_AJV_OPTIONS = { allErrors: true, strict: false, verbose: true } as const;

const ajv = new Ajv2020(RULE_SET_AJV_OPTIONS);
export const validateRuleSet = ajv.compile(ruleSetSchema);
