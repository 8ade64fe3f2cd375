/**
 * The condition language of rules and triggers (DESIGN §2 `--if`): parsed once when a rule or
 * trigger is added, stored as JSON, evaluated when the rule is about to execute. Pure: no store,
 * no clock of its own.
 *
 *   amount >= 1000 and (stage = "Prepare documents" or fields.priority in (high, urgent))
 */
export {
  type CompareOp,
  type Comparison,
  type Condition,
  type ConditionOp,
  conditionFromJson,
  conditionToJson,
  customFieldPrefix,
  type FieldCatalogue,
  type FieldType,
  fieldsOf,
  type Literal,
  type Logical,
  readsClock,
  type ValueType,
} from './condition-ast.js';
export {
  type EvaluateOptions,
  type Evaluation,
  evaluateCondition,
} from './condition-evaluate.js';
export { formatCondition } from './condition-format.js';
export { itemFields, itemValues } from './condition-item.js';
export {
  ConditionError,
  CUSTOM_FIELD_NAME,
  caretLine,
  type ParseOptions,
  parseCondition,
} from './condition-parse.js';
