import { Checkbox, Fieldset, NativeSelect, Radio, TextInput } from '@mantine/core';
import type { RuleSetPlan } from '../api';
import { type Language, useLanguage, useT } from '../i18n';

/** A rule set's field as its plan carries it (rules/plan.ts FieldPlan). */
export interface FieldPlan {
  type: 'string' | 'int' | 'number' | 'bool' | 'date' | 'enum' | 'list';
  label: { en: string; zh?: string };
  requiredFor: string[];
  values: string[] | null;
  min: number | null;
  max: number | null;
}
/** The rule set's dimensions as the plan carries them. */
export type Dimensions = Record<
  string,
  {
    label: string | { en: string; zh?: string };
    multiple: boolean;
    required?: boolean;
    values: Record<string, string | { en: string; zh?: string }>;
  }
>;

export const fieldsOf = (plan: RuleSetPlan | null) => (plan?.fields ?? {}) as Record<string, FieldPlan>;
export const dimensionsOf = (plan: RuleSetPlan | null) =>
  (plan?.store.dimensions ?? {}) as unknown as Dimensions;

export const labelIn = (label: string | { en: string; zh?: string }, language: Language) =>
  typeof label === 'string' ? label : language === 'zh' ? (label.zh ?? label.en) : label.en;

/** What an input shows for a value of the field (a list as comma-separated words). */
const shown = (value: unknown) =>
  Array.isArray(value) ? value.join(', ') : value === undefined ? '' : String(value);

/** The value an input's text stands for in the field's type; undefined when left empty. */
function parsed(field: FieldPlan, text: string): unknown {
  if (text.trim() === '') return undefined;
  switch (field.type) {
    case 'int':
    case 'number':
      return Number(text);
    case 'list':
      return text
        .split(/[,，]/)
        .map((v) => v.trim())
        .filter((v) => v !== '');
    default:
      return text;
  }
}

/**
 * The rule set's metadata fields as inputs of their types (text, number, date, a yes/no box, a
 * list of allowed values, comma-separated words), labelled in the person's language, the required
 * ones marked with the kinds they are required for. The server checks the values again.
 */
export function FieldInputs({
  fields,
  values,
  onChange,
  idPrefix,
}: {
  fields: Record<string, FieldPlan>;
  values: Record<string, unknown>;
  onChange(values: Record<string, unknown>): void;
  /** Keeps several forms of one page (one per file) apart. */
  idPrefix: string;
}) {
  const t = useT();
  const { language } = useLanguage();
  const set = (name: string, value: unknown) => {
    const next = { ...values };
    if (value === undefined) delete next[name];
    else next[name] = value;
    onChange(next);
  };
  return (
    <div className="field-inputs">
      {/* The plan's keys are sorted by name: the required fields come first, each group in that order. */}
      {Object.entries(fields)
        .sort(([, a], [, b]) => Number(b.requiredFor.length > 0) - Number(a.requiredFor.length > 0))
        .map(([name, field]) => {
          const id = `${idPrefix}-${name}`;
          const label = (
            <>
              {labelIn(field.label, language)}
              {field.requiredFor.length > 0 && (
                <span className="required" title={`${t('requiredFor')} ${field.requiredFor.join(', ')}`}>
                  {' '}
                  *
                </span>
              )}
            </>
          );
          if (field.type === 'bool')
            return (
              <Checkbox
                key={name}
                id={id}
                className="field toggle"
                label={label}
                checked={values[name] === true}
                // Unticking says "no" (false): a delisting rule reads `listed == false`, not its absence.
                onChange={(e) => set(name, e.currentTarget.checked)}
              />
            );
          if (field.type === 'enum')
            return (
              <NativeSelect
                key={name}
                id={id}
                className="field"
                label={label}
                value={shown(values[name])}
                onChange={(e) => set(name, e.currentTarget.value || undefined)}
              >
                <option value="">—</option>
                {(field.values ?? []).map((v) => (
                  <option key={v}>{v}</option>
                ))}
              </NativeSelect>
            );
          return (
            <TextInput
              key={name}
              id={id}
              className="field"
              label={label}
              type={
                field.type === 'date'
                  ? 'date'
                  : field.type === 'int' || field.type === 'number'
                    ? 'number'
                    : 'text'
              }
              step={field.type === 'int' ? 1 : 'any'}
              min={field.min ?? undefined}
              max={field.max ?? undefined}
              value={shown(values[name])}
              onChange={(e) => set(name, parsed(field, e.currentTarget.value))}
            />
          );
        })}
    </div>
  );
}

/** Ticks for each dimension of the rule set: boxes where several values may be chosen, else radios. */
export function DimensionTicks({
  dimensions,
  chosen,
  onChange,
  name: formName,
}: {
  dimensions: Dimensions;
  chosen: Record<string, string[]>;
  onChange(chosen: Record<string, string[]>): void;
  /** Keeps the radio groups of several forms on one page apart. */
  name: string;
}) {
  const { language } = useLanguage();
  const toggle = (name: string, value: string, multiple: boolean) => {
    const now = chosen[name] ?? [];
    const next = multiple
      ? now.includes(value)
        ? now.filter((v) => v !== value)
        : [...now, value]
      : [value];
    onChange({ ...chosen, [name]: next });
  };
  return (
    <>
      {Object.entries(dimensions).map(([name, dimension]) => (
        <Fieldset
          key={name}
          className="dimension-ticks"
          legend={
            <>
              {labelIn(dimension.label, language)}
              {dimension.required && <span className="required"> *</span>}
            </>
          }
        >
          {Object.entries(dimension.values).map(([value, label]) => {
            const ticked = (chosen[name] ?? []).includes(value);
            const props = {
              name: `${formName}-${name}`,
              label: labelIn(label, language),
              checked: ticked,
              onChange: () => toggle(name, value, dimension.multiple),
            };
            return dimension.multiple ? (
              <Checkbox key={value} {...props} />
            ) : (
              <Radio key={value} {...props} />
            );
          })}
        </Fieldset>
      ))}
    </>
  );
}
